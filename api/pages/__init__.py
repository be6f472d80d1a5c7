"""Page builders: the data of each HTML page, one typed builder per page.

The rule: a route parses the request, authorises (``api.access``), calls one builder here and
renders its result (``api.web.render`` spreads a page dataclass's fields into the template).
A builder returns a frozen dataclass whose fields are typed (small dataclasses, typed lists,
``Mapping[str, ...]``; never ``dict[str, Any]``); Chart.js configurations come from
``api.presentation``. Builders read; actions (posting, assigning, publishing) stay in the
domain services the routes call.

One module per area:
- ``forms.py``: the form values and errors a page shows again (``Values``, ``Errors``).
- ``admin.py``: users and teams (lists and forms).
- ``coaching.py``: the coaching overview, module, assign and assignment pages.
- ``gaps.py``: the gaps dashboard and its evidence.
- ``guides.py``: guide search, list, form and detail.
- ``home.py``: each role's home page.
- ``ideas.py``: browsing ideas, the submit form and its similar ideas, one idea's page.
- ``imports.py``: the interaction-log imports page.
- ``jobs.py``: the jobs list and one job.
- ``lists.py``: the admin's categories and journey stages.
- ``notifications.py``: the notification list.
- ``account.py``: personal API tokens.
- ``receipts.py``: the anonymous submitter's receipt pages.
- ``reports.py``: the Consumer Duty reports: the list with its generate form, and one snapshot.
- ``teams.py``: a team's page.
- ``themes.py``: the theme list and its run status, the unthemed ideas, one theme's page.
"""
