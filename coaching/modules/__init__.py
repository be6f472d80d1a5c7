"""Coaching modules: drafts pre-filled from a theme's evidence, published versions and check
questions, assignments and completion, suggestions, and the measured coaching effect.

Fixed file set:
- ``models.py``      CoachingModule, ModuleVersion, Assignment, Attempt, Suggestion, EffectSnapshot
- ``queries.py``     reading modules, their versions and check questions
- ``service.py``     writing modules (create, update, publish, archive), the edit form, marking
- ``drafts.py``      the pre-filled draft of a module from a theme's evidence
- ``questions.py``   draft check questions from a theme's real contacts (the customer's question,
                     the agent's answer that resolved it, other themes' answers as wrong options)
- ``assignments.py`` assigning versions to agents, attempts, completion, overdue, reminders
- ``completion.py``  completion figures per team, agent and module
- ``suggestions.py`` offering a theme's module for agents with a high gap rate in it
- ``effect.py``      the coaching effect of a module: its agent-by-week panel from the database
- ``staggered.py``   the estimator: imputation with not-yet-coached comparison, event study
- ``snapshots.py``   closed periods' estimates, stored so later data never changes them
"""
