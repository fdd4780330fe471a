"""Model-card templates for published language packs (``render_card`` builds a pack's README.md)."""

from langzoo.hub_cards.render import build_card_data, metric_rows, render_card

__all__ = ["build_card_data", "metric_rows", "render_card"]
