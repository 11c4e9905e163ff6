"""The analyses a client report holds, each one plain function calls on a client config.

Each module computes everything its notebook shows and the object it adds to ``summary.json``;
the notebooks only call these, draw and narrate.
"""
