"""Back office: grids, people and their roles, the personnel roster. Viewsets registered on import.

- 网格: the tree (city → townships → villages) as an indented listing with links to each grid's children
  and people, edited as a snippet with revisions; a boundary may be uploaded as a GeoJSON file.
  (tree.py)
- 网格人员: people with their current roles, snippets with revisions. (people.py)
- 任职记录: who held which role on which grid when. New assignments, replacing a holder (更换人员) and
  ending one (离任) go through the services role_assign / role_end, so the history is always kept.
  (assignments.py)
- 工作证: print a person's staff badge for a current role, revoke one, print a township's badges. (badges.py)
- 导入人员名单: upload the roster (XLSX/CSV in the plan's layout) → preview every row → apply all or none.
  (roster.py)

Users who are not superusers see the grids their current roles cover (grids_for_user), and the people
and assignments of those grids (common.py holds the shared scoping helpers). This module groups the
viewsets under one menu and re-exports the names the single old module had.
"""

from django.utils.translation import gettext_lazy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from .assignments import (
    AssignmentCreateView,
    AssignmentDeleteView,
    AssignmentEditForm,
    AssignmentEditView,
    AssignmentFilterSet,
    AssignmentForm,
    AssignmentIndexView,
    AssignmentViewSet,
    EndForm,
    EndView,
    ReplaceForm,
    ReplaceView,
    _status,
    _visible_assignments,
)
from .badges import BadgeToolsViewSet
from .common import (
    INDENT,
    PERM_IMPORT,
    AdminPage,
    _assignments_url,
    _current_prefetch,
    _holders_text,
    _scoped_grids,
    _tree_label,
)
from .people import (
    PersonEditView,
    PersonFilterSet,
    PersonIndexView,
    PersonViewSet,
    _person_roles,
    _visible_people,
)
from .roster import (
    IMPORT_DIR,
    IMPORT_SALT,
    PublicRosterLink,
    RosterImportView,
    RosterToolsViewSet,
    RosterUploadForm,
)
from .tree import (
    GridAdminForm,
    GridEditView,
    GridFilterSet,
    GridIndexView,
    GridViewSet,
    _children_link,
)

__all__ = [
    "IMPORT_DIR", "IMPORT_SALT", "INDENT", "PERM_IMPORT",
    "AdminPage",
    "AssignmentCreateView", "AssignmentDeleteView", "AssignmentEditForm", "AssignmentEditView",
    "AssignmentFilterSet", "AssignmentForm", "AssignmentIndexView", "AssignmentViewSet", "BadgeToolsViewSet",
    "EndForm", "EndView", "ReplaceForm", "ReplaceView",
    "GridAdminForm", "GridEditView", "GridFilterSet", "GridGroup", "GridIndexView", "GridViewSet",
    "PersonEditView", "PersonFilterSet", "PersonIndexView", "PersonViewSet",
    "PublicRosterLink", "RosterImportView", "RosterToolsViewSet", "RosterUploadForm",
    "_assignments_url", "_children_link", "_current_prefetch", "_holders_text",
    "_person_roles", "_scoped_grids", "_status", "_tree_label", "_visible_assignments", "_visible_people",
]


class GridGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("网格与人员")
    menu_icon = "site"
    menu_order = 200
    items = (GridViewSet, PersonViewSet, AssignmentViewSet, BadgeToolsViewSet, RosterToolsViewSet, PublicRosterLink)


register_snippet(GridGroup)
