"""The durable job queue: job records with progress, the worker, and the tasks it runs.

Huey only transports a job id; everything else (status, progress, heartbeat, checkpoint) lives in
the ``job`` table, so a killed worker loses nothing: its job is re-queued and resumes from its
last checkpoint.

Fixed file set:
- ``models.py``    the ``Job`` table (status, progress, checkpoint, claim owner, heartbeat) and
                   ``DemoItem``, written by the demonstration task
- ``queue.py``     ``make_huey`` (SqliteHuey or RedisHuey from ``queue_url``) and ``Queue``,
                   which registers the Huey tasks: ``run_job(job_id)`` and the periodic reaper
- ``runner.py``    claims one job and runs its handler with a ``JobContext`` (atomic batch
                   commits guarded by the claim, background heartbeat)
- ``registry.py``  ``@handler(kind)`` and ``get_handler(kind)``
- ``tasks.py``     the handlers themselves, one per job kind (the only place new work goes)
- ``reaper.py``    re-queues jobs whose worker died or whose Huey message was lost
- ``service.py``   what the web layer calls: ``start_job``, ``list_jobs``, ``get_job``
- ``worker.py``    ``run_worker(settings)``: reap once, then run the Huey consumer
- ``__main__.py``  ``python -m jobs``: a worker configured from ``VOICELOOP_*`` variables
"""
