"""pages.common.background_job: a long build runs once per key in a server thread, reports
progress, keeps its result for the next visit, and reports an error instead of raising."""

from __future__ import annotations

import threading

from pages.common import background_job


def wait(job, seconds: float = 60) -> None:
    """Until the job's thread is done (a generous bound for a slow shared machine)."""
    for thread in threading.enumerate():
        if thread.name == f"jdcore-job-{job.label}":
            thread.join(seconds)
    assert not job.running


def test_a_job_runs_once_per_key_reports_progress_and_keeps_its_result():
    release = threading.Event()
    runs = []

    def build(progress):
        runs.append(1)
        progress(1, 3)
        release.wait(30)
        progress(3, 3)
        return b"the file"

    key = ("test-catalogue", "fingerprint-1", "documents", ())
    assert background_job(key, "test-a", build) is None          # asking does not start it
    job = background_job(key, "test-a", build, start=True)
    again = background_job(key, "test-a", build, start=True)     # a second visit shares it
    assert again is job and job.running
    release.set()
    wait(job)
    assert runs == [1]
    assert (job.done, job.total, job.result, job.error) == (3, 3, b"the file", None)
    assert background_job(key, "test-a", build) is job            # found again when done


def test_a_failing_job_reports_its_error():
    def build(progress):
        raise ValueError("no room on the disk")

    job = background_job(("test-catalogue", "fingerprint-2", "docx", ()), "test-b", build,
                         start=True)
    wait(job)
    assert job.result is None and job.error == "ValueError: no room on the disk"
