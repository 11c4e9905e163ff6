"""Slider plumbing shared by the teaching apps (:mod:`.strategy`, :mod:`.security`).

An app subclasses :class:`SliderApp`, builds its sliders (keyword arguments from
:func:`slider_options`) and hands them to :meth:`SliderApp._mount`; its ``update`` recomputes
the model from the slider values, stores the outcome on plain attributes and ends with
:meth:`SliderApp._show`. Tests read those attributes: an ``Output`` widget captures nothing
outside a kernel, so it is used only for display.
"""
from __future__ import annotations

from typing import Any

import ipywidgets as widgets


def in_kernel() -> bool:
    """True inside a running IPython kernel (a notebook or Voila), False in plain Python."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def slider_options(label_width_em: float, width_em: float) -> dict[str, Any]:
    """Keyword arguments every slider of one app shares.

    The value changes when the slider is released (not while it is dragged); the description
    takes ``label_width_em`` and the whole slider ``width_em`` (both in em, the font's size).
    """
    return {"continuous_update": False,
            "style": {"description_width": f"{label_width_em:g}em"},
            "layout": widgets.Layout(width=f"{width_em:g}em")}


class SliderApp:
    """Sliders over an HTML summary and an ``Output`` showing a chart.

    Attributes
    ----------
    sliders : dict[str, ipywidgets.Widget]
        Keyed by parameter name, in display order.
    summary_widget : ipywidgets.HTML
    output : ipywidgets.Output
        Shows the chart inside a kernel; stays empty elsewhere.
    n_updates : int
        Updates so far (1 after construction).
    widget : ipywidgets.VBox
        What the notebook displays: the sliders, the summary, the chart.
    """

    def _mount(self, sliders: dict[str, widgets.Widget]) -> None:
        """Set the attributes above from ``sliders``, make each slider call :meth:`on_change`
        when its value changes, and run the first :meth:`update`."""
        self.sliders = sliders
        self.summary_widget = widgets.HTML()
        self.output = widgets.Output()
        self.n_updates = 0
        for slider in self.sliders.values():
            slider.observe(self.on_change, names="value")
        self.widget = widgets.VBox([*self.sliders.values(), self.summary_widget, self.output])
        self.update()

    def update(self) -> None:
        """Recompute from the slider values and refresh every stored output (subclasses)."""
        raise NotImplementedError

    def on_change(self, change: dict[str, Any] | None = None) -> None:
        """``observe`` handler of every slider: recompute and redraw."""
        self.update()

    def _show(self, summary_html: str, chart: Any) -> None:
        """Put ``summary_html`` in the summary widget, count the update, and draw ``chart`` in the
        output (inside a kernel only; tests read the attributes)."""
        self.summary_widget.value = summary_html
        self.n_updates += 1
        if in_kernel():
            from IPython.display import display
            self.output.clear_output(wait=True)
            with self.output:
                display(chart)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)
