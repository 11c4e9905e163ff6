"""ipywidgets apps for teaching notebooks; their callbacks and state are testable without a kernel."""
