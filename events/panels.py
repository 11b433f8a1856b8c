"""Admin panels of the events' own: the dates' blocks in the page editor, each headed by its date."""

from wagtail.admin.panels import InlinePanel


class EventDateInlinePanel(InlinePanel):
    """The event's dates: each block is headed by its date and time (and "cancelled"), not "Date N".

    Only a new, unsaved block keeps the numbered label. The child template is the
    project's own (templates/events/admin/date_inline_panel_child.html).
    """

    class BoundPanel(InlinePanel.BoundPanel):
        template_name = "events/admin/date_inline_panel.html"
