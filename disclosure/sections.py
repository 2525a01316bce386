"""Sections of a producer's public page that apps above `disclosure` fill in (inspections, say).

The producer page lives here and must not import the apps above it, so they register a section instead,
as `portal.search` takes search sources. A section gives the template to include and a loader that
returns that template's context for one producer in a fixed number of queries, whatever the producer's
history, so the page keeps a constant number of queries. A section whose loader returns None is left out.
Whatever changes what a section shows must call `disclosure.services.producers.producers_touch`, so that
the page's ETag moves on.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ProducerSection:
    key: str
    template: str
    load: Callable[[Any], dict | None]
    order: int = 100


_SECTIONS: dict[str, ProducerSection] = {}


def register_producer_section(*, key: str, template: str, load: Callable[[Any], dict | None],
                              order: int = 100) -> None:
    """Add (or replace) a section of the producer page. Call it from an AppConfig.ready()."""
    _SECTIONS[key] = ProducerSection(key=key, template=template, load=load, order=order)


def producer_sections() -> list[ProducerSection]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def producer_sections_render(producer) -> list[dict]:
    """The registered sections for one producer: [{"key", "template", "context"}], in page order."""
    rendered = []
    for section in producer_sections():
        context = section.load(producer)
        if context is not None:
            rendered.append({"key": section.key, "template": section.template, "context": context})
    return rendered
