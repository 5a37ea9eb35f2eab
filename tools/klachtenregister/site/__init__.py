"""The site stage: the register, its findings and its Git history rendered into a MkDocs site.

`build.py` and `serve.py` are the commands; `pages.py` (complaint, index and reference pages)
and `period_pages.py` (evaluations and annual overviews) make the page views that
`templating.py`'s environment renders.
"""
