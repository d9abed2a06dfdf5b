"""The sections of the draft wijkuitvoeringsplan, one module per part of the document.

Each module turns the dossier into the :class:`~wijkplan.wup.model.Section` objects of
one part: :mod:`.area` (the map section and the area analysis), :mod:`.strategy` (the
adopted strategy, the indication and PBL), :mod:`.phase` (phase, time path and the table
per buurt), :mod:`.complexes`, :mod:`.aquathermal` and :mod:`.agreements`.
:func:`wijkplan.wup.outline.build_outline` puts them in order behind the title page.
"""
