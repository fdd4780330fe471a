"""Hub model cards for language packs (rendered by the registry on publish)."""

from langzoo.hub_cards.render import metric_rows, render_card

__all__ = ["metric_rows", "render_card"]
