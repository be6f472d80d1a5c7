"""Tests of the durable job queue (claims, runner, reaper, service, killed workers)."""
