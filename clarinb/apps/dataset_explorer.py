"""``DatasetVersionExplorer``: a dataset's versions, their status (polled), metrics and exports."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from clarinb import _validate as validate
from clarinb import frames
from clarinb._html import Block, html_widget, set_html, tag
from clarinb._names import readable, readable_options
from clarinb.apps._dataset_panels import (
    Confirm,
    exports_html,
    versions_figure,
    versions_frame,
    versions_table_html,
)
from clarinb.dataset_version import EXPORT_FORMATS, DatasetVersion
from clarinb.errors import ClarinbError, InvalidArgumentError
from clarinb.views._base import View

__all__ = ["DatasetVersionExplorer"]


class DatasetVersionExplorer(View):
    """Pick a version of a dataset, watch its status until ready, see its metrics, diff and exports.

    Polling runs in a background thread (so the notebook stays responsive),
    at most ``max_polls`` times, ``poll_interval`` seconds apart, and stops as
    soon as the selected version and its exports are ready or failed. The
    buttons that write to the app (new version, export) ask for confirmation.

    Parameters
    ----------
    client : clarinb.Client
        A connection to the API (or the emulator).
    dataset_id : str
        The dataset whose versions are shown.
    poll_interval : float
        Seconds between polls.
    max_polls : int
        Upper bound on the polls of one :meth:`poll` call.
    theme : {"light", "dark"}
        Plotly theme.

    Attributes
    ----------
    versions_ : pandas.DataFrame
        ``id``, ``status_code``, ``status``, ``state`` (pending, in progress,
        ready, failed), ``created_at``, ``description``; newest first.
    exports_ : pandas.DataFrame
        The selected version's exports: ``format``, ``status``, ``state``, ``url``, ``size``.
    version_id : str or None
        The selected version.
    views_ : dict of str to View
        The views of the selected version (``metrics``) and of the diff (``diff``).

    Examples
    --------
    >>> explorer = DatasetVersionExplorer(client, "my-dataset")  # doctest: +SKIP
    >>> explorer.create_version("after relabelling").poll()  # doctest: +SKIP
    """

    title = "Dataset versions"
    settable = ("version_id", "diff")

    def __init__(
        self,
        client: Any,
        dataset_id: str,
        *,
        poll_interval: float = 2.0,
        max_polls: int = 150,
        theme: str = "light",
    ) -> None:
        super().__init__(theme=theme)
        self.client = validate.client(client, needs=("call", "paginate"))
        self.dataset_id = validate.string(dataset_id, "dataset_id")
        self.max_polls = validate.positive_int(max_polls, "max_polls")
        self.poll_interval = validate.non_negative(poll_interval, "poll_interval (seconds)")
        self.version_id: str | None = None
        self.diff: tuple[str, str] | None = None
        self.exports_ = frames.dataset_version_exports([])
        self.views_: dict[str, View] = {}
        self._versions: dict[str, DatasetVersion] = {}
        self.polls_ = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._poller: threading.Thread | None = None
        self.refresh()

    # -- reading and writing through the read model -------------------------------------
    def refresh(self) -> DatasetVersionExplorer:
        """Fetch the versions (and the selected version's exports, if any) once."""
        versions = DatasetVersion.of_dataset(self.client, self.dataset_id)
        frame = versions_frame(versions)
        with self._lock:
            self.versions_ = frame
            self._versions = {v.id: v for v in versions}
            if self.version_id is None and len(frame):
                self.version_id = str(frame["id"].iloc[0])
            if self.diff is None and len(self._ready_ids()) >= 2:
                newest, previous = self._ready_ids()[:2]
                self.diff = (previous, newest)
        if self.version_id is not None and self._export_requested():
            self.exports_ = self._selected().request_exports(list(self.exports_["format"]))
        self._update()
        return self

    def _ready_ids(self) -> list[str]:
        return self.versions_.loc[self.versions_["state"] == "ready", "id"].astype(str).tolist()

    def _selected(self) -> DatasetVersion:
        version = self._versions.get(str(self.version_id))
        if version is None:
            raise InvalidArgumentError(
                f"version {self.version_id!r} is not a version of {self.dataset_id!r}; refresh()."
            )
        return version

    def _export_requested(self) -> bool:
        return bool(len(self.exports_)) and any(s != "ready" for s in self.exports_["state"])

    def create_version(self, description: str = "") -> DatasetVersionExplorer:
        """Create a new version of the dataset (a write to the app) and select it.

        :meth:`poll` follows it until it is ready.
        """
        created = DatasetVersion.create(self.client, self.dataset_id, description)
        self.version_id = created.id
        self._forget_version()
        return self.refresh()

    def export(
        self, formats: Sequence[str] = ("CLARIFAI_DATA_PROTOBUF",)
    ) -> DatasetVersionExplorer:
        """Request exports of the selected version (a write to the app).

        :meth:`poll` follows them until they are ready.
        """
        if self.version_id is None:
            raise InvalidArgumentError("the dataset has no version to export.")
        self.exports_ = self._selected().request_exports(formats)
        self._update()
        return self

    def _apply(self, changes: dict[str, Any]) -> None:
        known = self.versions_["id"].astype(str).tolist()
        version_id = changes.get("version_id", self.version_id)
        if version_id is not None:
            validate.choice(version_id, "version_id", known, hint=f"a version of {self.dataset_id}")
        diff = changes.get("diff", self.diff)
        if diff is not None:
            if not isinstance(diff, Sequence) or isinstance(diff, str) or len(diff) != 2:
                raise InvalidArgumentError(
                    f"diff must be two version ids (older, newer), not {validate.shown(diff)}."
                )
            for side in diff:
                validate.choice(side, "each version of diff", known)
            diff = (str(diff[0]), str(diff[1]))
        if version_id != self.version_id:
            self.version_id = version_id
            self._forget_version()
        if diff != self.diff:
            self.diff = diff
            self.views_.pop("diff", None)

    def _forget_version(self) -> None:
        self.exports_ = frames.dataset_version_exports([])
        self.views_.pop("metrics", None)

    @property
    def state_(self) -> str:
        """State of the selected version: pending, in progress, ready, failed or unknown."""
        rows = self.versions_[self.versions_["id"] == self.version_id]
        return str(rows["state"].iloc[0]) if len(rows) else "unknown"

    # -- polling ------------------------------------------------------------------------
    def done(self) -> bool:
        """Whether the selected version and its exports have stopped changing."""
        return self.state_ in ("ready", "failed", "unknown") and not self._export_requested()

    def poll(self, *, background: bool = True) -> DatasetVersionExplorer:
        """Refresh until :meth:`done` (at most ``max_polls`` times), in a thread by default."""
        self.stop()
        self._stop.clear()

        def run() -> None:
            for _ in range(self.max_polls):
                if self._stop.is_set() or self.done():
                    return
                if self._stop.wait(self.poll_interval):
                    return
                try:
                    self.refresh()
                except ClarinbError as err:
                    self._note(f"polling stopped: {err}")
                    return
                self.polls_ += 1

        if background:
            self._poller = threading.Thread(target=run, name="clarinb-version-poll", daemon=True)
            self._poller.start()
        else:
            run()
        return self

    def stop(self, timeout: float | None = 10.0) -> None:
        """Stop a running poll and wait for its thread."""
        self._stop.set()
        if self._poller is not None:
            self._poller.join(timeout)
            self._poller = None

    # -- figure and widget --------------------------------------------------------------
    def _build_figure(self) -> go.Figure:
        return versions_figure(self.versions_, self.dataset_id)

    def _frame(self) -> pd.DataFrame:
        return self.versions_

    def _note(self, text: str) -> None:
        if self._widget is not None:
            set_html(self._status, text)

    def _metrics_view(self) -> View | None:
        from clarinb.views.metrics_groups import MetricsGroupsView  # noqa: PLC0415

        if "metrics" not in self.views_ and self.state_ == "ready":
            self.views_["metrics"] = MetricsGroupsView.from_dataset_version(
                self._selected(), theme=self.theme
            )
        return self.views_.get("metrics")

    def _diff_view(self) -> View | None:
        from clarinb.views.version_diff import VersionDiffView  # noqa: PLC0415

        if "diff" not in self.views_ and self.diff is not None:
            older, newer = (self._versions[i] for i in self.diff)
            self.views_["diff"] = VersionDiffView.from_dataset_versions(
                older, newer, theme=self.theme
            )
        return self.views_.get("diff")

    def _update(self) -> None:
        self._figure = None
        if self._widget is None:
            return
        set_html(self._table, versions_table_html(self.versions_))
        ids = self.versions_["id"].tolist()
        ready = self._ready_ids()
        for picker, options in ((self._picker, ids), (self._older, ready), (self._newer, ready)):
            if list(picker.options) != options:
                picker.options = options
        if self.version_id is not None and self._picker.value != self.version_id:
            self._picker.value = self.version_id
        if self.diff is not None:
            self._older.value, self._newer.value = self.diff
        set_html(self._status, tag("b", str(self.version_id)) + f": {self.state_}")
        set_html(self._exports, exports_html(self.exports_))
        self._show_panel(self._metrics, self._metrics_view, "its metrics")
        self._show_panel(self._diff, self._diff_view, "the difference")

    def _show_panel(self, box: widgets.VBox, make: Any, what: str) -> None:
        try:
            view = make()
        except (ClarinbError, ValueError) as err:
            box.children = [html_widget(f"Could not show {what}: {err}")]
            return
        if view is None:
            text = f"Version {self.version_id} is {self.state_}; {what} appear when it is ready."
            box.children = [html_widget(tag("i", text))]
        elif not box.children or box.children[0] is not view.widget_:
            box.children = [view.widget_]

    def _ask_new_version(self) -> None:
        self._confirm.ask(
            f"Create a new version of {self.dataset_id} from its current inputs and labels?",
            lambda: self.create_version().poll(),
        )

    def _ask_export(self) -> None:
        chosen = self._format.value
        self._confirm.ask(
            f"Export version {self.version_id} as {readable(chosen)}?",
            lambda: self.export([chosen]).poll(),
        )

    def _build_widget(self) -> Any:
        ids = self.versions_["id"].tolist()
        self._picker = widgets.Dropdown(options=ids, value=self.version_id, description="version")
        self._older = widgets.Dropdown(description="older")
        self._newer = widgets.Dropdown(description="newer")
        self._status, self._exports, self._table = html_widget(), html_widget(), html_widget()
        self._metrics, self._diff = widgets.VBox(), widgets.VBox()
        self._confirm = Confirm()
        self._format = widgets.Dropdown(
            options=readable_options(EXPORT_FORMATS), description="format"
        )
        buttons = {
            name: widgets.Button(description=name.capitalize())
            for name in ("refresh", "poll", "new version…", "export…")
        }
        self._picker.observe(lambda c: self.set(version_id=c["new"]), names="value")
        for picker in (self._older, self._newer):
            picker.observe(lambda _c: self._pick_diff(), names="value")
        buttons["refresh"].on_click(lambda _b: self.refresh())
        buttons["poll"].on_click(lambda _b: self.poll())
        buttons["new version…"].on_click(lambda _b: self._ask_new_version())
        buttons["export…"].on_click(lambda _b: self._ask_export())
        self.controls_ = {"version": self._picker, "format": self._format, **buttons}
        top = [self._picker, buttons["refresh"], buttons["poll"], buttons["new version…"]]
        self._widget = widgets.VBox(
            [
                widgets.HBox(top),
                self._confirm.widget,
                self._status,
                self._table,
                widgets.HBox([self._format, buttons["export…"]]),
                self._exports,
                self._metrics,
                html_widget(tag("h4", "Difference between two versions")),
                widgets.HBox([self._older, self._newer]),
                self._diff,
            ]
        )
        self._widget.add_class("clarinb-dataset-explorer")
        self._update()
        return self._widget

    def _pick_diff(self) -> None:
        pair = (self._older.value, self._newer.value)
        if None not in pair and pair != self.diff:
            self.set(diff=pair)

    def _html_sections(self) -> Sequence[Block]:
        return [Block(self.title, self.figure_), Block("Exports", exports_html(self.exports_))]
