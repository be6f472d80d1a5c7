// Guide search: arrow keys move between the search box and the result links
// (Tab works too; this only saves keystrokes during a live contact).
(() => {
  "use strict";

  const links = () => Array.from(document.querySelectorAll("#guide-results a.guide-hit"));

  document.addEventListener("keydown", (e) => {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    const box = document.getElementById("guide-q");
    if (!box) return;
    const items = links();
    if (!items.length) return;
    const at = items.indexOf(document.activeElement);
    if (document.activeElement === box) {
      if (e.key !== "ArrowDown") return;
      items[0].focus();
    } else if (at >= 0) {
      if (e.key === "ArrowDown") items[Math.min(at + 1, items.length - 1)].focus();
      else if (at === 0) box.focus();
      else items[at - 1].focus();
    } else {
      return;
    }
    e.preventDefault();
  });
})();
