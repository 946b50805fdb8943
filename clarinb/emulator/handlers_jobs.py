"""Handlers for input add jobs, extraction jobs, data sources and uploads.

The emulator does not fetch remote archives: a job made from a data source
or an upload runs through its states (queued, running, completed) with the
archive recorded, and creates no inputs.
"""

from __future__ import annotations

import copy

from clarinb.emulator.dispatch import Reply, Request, handles, paged
from clarinb.emulator.lifecycle import advance, start
from clarinb.emulator.store import App, Item, new_id
from clarinb.emulator.wire import status
from clarinb.emulator.writes import batch, ids_of, items_of

JOB_QUEUED, JOB_RUNNING, JOB_COMPLETED, JOB_CANCELLED = 64000, 64001, 64002, 64004
JOB_STEPS = (JOB_QUEUED, JOB_RUNNING, JOB_COMPLETED)


def _job(app: App, job_id: str | None, extraction_urls: list[str], uploads: list[Item]) -> Item:
    job: Item = {"id": job_id or new_id(), "progress": {}}
    extraction = []
    for url in extraction_urls:
        ext = start({"id": new_id(), "url": url, "progress": {}}, JOB_STEPS)
        app.inputs_extraction_jobs.add(ext)
        extraction.append(ext)
    job["_extraction_ids"] = [e["id"] for e in extraction]
    job["uploads"] = uploads
    start(job, JOB_STEPS)
    app.inputs_add_jobs.add(job)
    return job


def _show_job(app: App, job: Item) -> Item:
    advance(job)
    shown = dict(job)
    shown["extraction_jobs"] = [
        advance(e)
        for e in (app.inputs_extraction_jobs.find(i) for i in job.get("_extraction_ids", []))
        if e is not None
    ]
    return shown


@handles("V2_PostInputsDataSources2")
def post_data_sources(req: Request) -> Reply:
    """Start an add job per data source (an archive URL)."""

    def create(source: Item) -> Item:
        url = str((source.get("url") or {}).get("url") or "")
        return _job(req.app, source.get("inputs_add_job_id"), [url], [])

    return batch(items_of(req.body, "data_sources"), create, "inputs_add_jobs")


@handles("V2_PostInputsUploads2")
def post_uploads(req: Request) -> Reply:
    """Start an add job per upload."""

    def create(sent: Item) -> Item:
        upload = copy.deepcopy(sent.get("upload") or {})
        upload.setdefault("id", new_id())
        upload["status"] = status(JOB_QUEUED)
        return _job(req.app, sent.get("inputs_add_job_id"), [], [upload])

    return batch(items_of(req.body, "inputs_uploads"), create, "inputs_add_jobs")


@handles("V2_ListInputsAddJobs2")
def list_add_jobs(req: Request) -> Reply:
    """Add jobs, newest last."""
    jobs = paged(req, list(req.app.inputs_add_jobs))
    return Reply({"inputs_add_jobs": [_show_job(req.app, j) for j in jobs]})


@handles("V2_GetInputsAddJob2")
def get_add_job(req: Request) -> Reply:
    """One add job."""
    job = req.app.inputs_add_jobs.get(req.params["id"])
    return Reply({"inputs_add_job": _show_job(req.app, job)})


def _cancel(job: Item) -> Item:
    if (job.get("status") or {}).get("code") != JOB_COMPLETED:
        for key in ("_steps", "_reads", "_born"):
            job.pop(key, None)
        job["status"] = status(JOB_CANCELLED, "Job cancelled")
    return job


@handles("V2_CancelInputsAddJob2")
def cancel_add_job(req: Request) -> Reply:
    """Cancel an add job and its extraction jobs (a completed job stays completed)."""
    app = req.app
    job = app.inputs_add_jobs.get(req.params["id"])
    for ident in job.get("_extraction_ids", []):
        found = app.inputs_extraction_jobs.find(ident)
        if found is not None:
            _cancel(found)
    _cancel(job)
    return Reply({"inputs_add_job": _show_job(app, job)})


@handles("V2_ListInputsExtractionJobs2")
def list_extraction_jobs(req: Request) -> Reply:
    """Return extraction jobs."""
    jobs = paged(req, list(req.app.inputs_extraction_jobs))
    return Reply({"inputs_extraction_jobs": [advance(j) for j in jobs]})


@handles("V2_GetInputsExtractionJob2")
def get_extraction_job(req: Request) -> Reply:
    """One extraction job."""
    job = req.app.inputs_extraction_jobs.get(req.params["inputsExtractionJobId"])
    return Reply({"inputs_extraction_job": advance(job)})


@handles("V2_CancelInputsExtractionJobs2")
def cancel_extraction_jobs(req: Request) -> Reply:
    """Cancel extraction jobs by id."""
    jobs = req.app.inputs_extraction_jobs
    return batch(ids_of(req.body), lambda i: _cancel(jobs.get(i)), "inputs_extraction_jobs")
