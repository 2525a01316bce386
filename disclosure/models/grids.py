from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.models import RevisionMixin

from portal.places import place_forget
from portal.text import place_pinyin


class GridLevel(models.TextChoices):
    """The five levels of the region's scheme (区、地、县、乡、村). A county's own three levels (its county-level
    grid, called 市级网格 in a county-level city, its townships and villages) do the daily work; prefecture
    and region grids above them oversee their counties."""

    REGION = "region", _("自治区级网格")
    PREFECTURE = "prefecture", _("地州级网格")
    CITY = "city", _("市级网格")
    TOWNSHIP = "township", _("乡镇级网格")
    VILLAGE = "village", _("村级网格")


# Top down. The region, a prefecture or a county may head the tree (a portal may serve one county alone).
LEVEL_ORDER = [GridLevel.REGION, GridLevel.PREFECTURE, GridLevel.CITY, GridLevel.TOWNSHIP, GridLevel.VILLAGE]
PARENT_LEVEL = {GridLevel.REGION: None, GridLevel.PREFECTURE: GridLevel.REGION, GridLevel.CITY: GridLevel.PREFECTURE,
                GridLevel.TOWNSHIP: GridLevel.CITY, GridLevel.VILLAGE: GridLevel.TOWNSHIP}
CHILD_LEVEL = {parent: child for child, parent in PARENT_LEVEL.items() if parent}
MAY_HEAD_TREE = {GridLevel.REGION, GridLevel.PREFECTURE, GridLevel.CITY}
ABOVE_COUNTY = {GridLevel.REGION, GridLevel.PREFECTURE}


def _lines(*lines):
    """Lines joined by newlines, each translated when the text is used (so English pages show English)."""
    return format_lazy("\n".join(["{}"] * len(lines)), *lines)


# The duties of each level, from the city's plan (四、(三) 1–3). Staff may edit them per grid.
DEFAULT_DUTIES = {
    GridLevel.CITY: _lines(
        _("按照分片定岗的要求定员，明确岗位职责，承担本网格内农产品质量安全日常监管工作。"),
        _("监督建立辖区内农产品生产企业（基地）、专业合作社、家庭农场、规模种植养殖户、散户以及各类农资经营店等档案，将其划入相应网格监管范围。"),
        _("组织开展农产品质量安全相关知识的宣传、技术咨询及培训，指导标准化生产，监督生产记录。"),
        _("发现区域性农产品质量安全隐患和问题，组织协调有关部门及时有效地处理，并及时向网格监管的主要领导和上级部门报告。"),
        _("收集录入、上传监管信息，组织开展农药残留等农产品质量定量检测，为农产品质量监管提供服务。"),
        _("落实上级政府和监管部门部署的具体工作。"),
    ),
    GridLevel.TOWNSHIP: _lines(
        _("组织开展日常监管及受理群众投诉举报，收集、上报农产品质量安全相关信息。"),
        _("建立并动态管理乡镇生产主体名录，开展质量安全控制技术指导服务及培训宣传。"),
        _("组织开展农产品快速检测，督促生产主体、基地做好产品上市前的产品自检工作。"),
        _("组织开展日常巡查，发现农产品存在疑似风险隐患的，应当实施现场抽样。"),
        _("指导经营主体建立完善的台帐记录和规章制度，落实食用农产品达标合格证制度，督促实施标准化生产。"),
        _("配合做好各级农产品抽检工作。"),
    ),
    GridLevel.VILLAGE: _lines(
        _("根据乡镇监管公共服务机构及网格监管员要求，协助开展隐患排查、检测抽样、用药指导、信息报送等工作。"),
        _("深入田间地头、种植养殖户重点对农药、兽药、种子、肥料、饲料和饲料添加剂等农业投入品使用情况进行检查。"),
        _("指导、监督各生产基地、农民专业合作组织、种植养殖大户及家庭农场严格落实食用农产品达标合格证制度并规范开具合格证。"),
        _("督促各生产基地、农民专业合作组织、种植养殖大户及家庭农场明确1名内部监管员，负责内部监管工作，向村级监管员报告本单位内部管理相关信息，负责农产品产地准出制度落实。"),
    ),
}

slug_validator = RegexValidator(r"^[a-z0-9][a-z0-9-]*$", _("只能使用小写拼音字母、数字和连字符，例如 sangong。"))


class GridQuerySet(models.QuerySet):
    def covered_by(self, user):
        """The grids a staff user covers, from the roles their linked person holds today: each grid they hold a
        role on and everything below it (a county's roles cover the county, a township's its villages, a
        prefecture's or the region's every county under it). Superusers cover everything; users with no
        linked person cover nothing."""
        if not user or not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        person = getattr(user, "grid_person", None)
        if person is None:
            return self.none()
        paths = person.assignments.current().values_list("grid__path", flat=True)
        return self.under_paths(paths)

    def under_paths(self, paths):
        """The grids at or below any of these tree paths."""
        paths = sorted({p for p in paths if p})
        if not paths:
            return self.none()
        # A path below another adds nothing: keep the outermost ones.
        outer = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
        condition = models.Q()
        for path in outer:
            condition |= models.Q(path__startswith=path)
        return self.filter(condition)

    def county_ids(self, grids) -> dict[int, int]:
        """{grid id: the id of the county it lies in (itself for a county)} for grids at or below a county,
        in one query (the county grids)."""
        counties = list(self.model.objects.counties().values_list("pk", "path"))
        found = {}
        for grid in grids:
            found[grid.pk] = next((pk for pk, path in counties if grid.path.startswith(path)), None)
        return found

    def counties(self):
        """The county-level grids (县、市): each runs its own townships and villages."""
        return self.filter(level=GridLevel.CITY)

    def townships(self):
        """The township grids (乡镇级网格)."""
        return self.filter(level=GridLevel.TOWNSHIP)

    def villages(self):
        """The village grids (村级网格)."""
        return self.filter(level=GridLevel.VILLAGE)

    def city(self):
        """The county grid this site serves (the only one, in a portal serving one county); raises
        DoesNotExist before the places are loaded."""
        from ..sites import served_county

        county = served_county()
        if county is None:
            raise self.model.DoesNotExist("no county grid is loaded")
        return county

    def in_order(self):
        """In display order among siblings."""
        return self.order_by("sort_order", "code")

    def in_tree_order(self):
        """Depth first: the levels above the counties by path, then each county: the city, then each township
        followed by its villages, each level in display order."""
        county_path = models.Case(
            models.When(level=GridLevel.CITY, then=models.F("path")),
            models.When(level=GridLevel.TOWNSHIP, then=models.F("parent__path")),
            models.When(level=GridLevel.VILLAGE, then=models.F("parent__parent__path")),
            default=models.F("path"), output_field=models.CharField())
        township_order = models.Case(
            models.When(level__in=[GridLevel.CITY, *ABOVE_COUNTY], then=models.Value(-1)),
            models.When(level=GridLevel.TOWNSHIP, then=models.F("sort_order")),
            default=models.F("parent__sort_order"), output_field=models.IntegerField())
        township_code = models.Case(
            models.When(level=GridLevel.TOWNSHIP, then=models.F("code")),
            models.When(level=GridLevel.VILLAGE, then=models.F("parent__code")),
            default=models.Value(""), output_field=models.CharField())
        village_order = models.Case(
            models.When(level=GridLevel.VILLAGE, then=models.F("sort_order")),
            default=models.Value(-1), output_field=models.IntegerField())
        return self.annotate(tree_county=county_path, tree_township=township_order,
                             tree_township_code=township_code, tree_village=village_order).order_by(
            "tree_county", "tree_township", "tree_township_code", "tree_village", "code")

    def within(self, grid):
        """The grid itself and every grid below it."""
        return self.filter(path__startswith=grid.path)

    def served(self):
        """The grids of the place this site serves (all of them on a portal serving one county)."""
        from ..sites import served_grid

        grid = served_grid()
        if grid is None or grid.parent_id is None:
            return self.all()
        return self.within(grid)


class Grid(RevisionMixin, models.Model):
    """A supervision grid (监管网格): the city, a township or a village, in a tree of three levels."""

    level = models.CharField(_("层级"), max_length=10, choices=GridLevel.choices)
    code = models.CharField(_("区划代码"), max_length=12, unique=True,
                            validators=[RegexValidator(r"^\d{2,12}$", _("区划代码为2–12位数字。"))],
                            help_text=_("国家统计局统计用区划代码，发布后不再改变。"))
    name = models.CharField(_("名称"), max_length=50)
    name_en = models.CharField(_("英文名称"), max_length=80, blank=True,
                               help_text=_("英文页面显示的汉语拼音名称，例如 Sangong Town；留空则按拼音自动生成。"))
    slug = models.SlugField(_("网址名"), max_length=40, validators=[slug_validator],
                            help_text=_("出现在网址和海报二维码中，发布后请勿修改。"))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name=_("上级网格"))
    sort_order = models.PositiveIntegerField(_("显示顺序"), default=0)
    # The codes from the top of the tree down to this grid, each followed by "/": finding everything under
    # a grid at any depth is one indexed prefix match (kept by save()).
    path = models.CharField(_("网格路径"), max_length=120, editable=False, default="", db_index=True)
    duties = models.TextField(_("网格职责"), blank=True, help_text=_("每行一条；留空则使用实施方案规定的本级职责。"))
    boundary = models.JSONField(_("边界（GeoJSON）"), null=True, blank=True,
                                help_text=_("可选：Polygon 或 MultiPolygon，经纬度坐标。"))
    note = models.CharField(_("备注"), max_length=200, blank=True,
                            help_text=_("人员名单“备注”列的内容，例如人员调整说明。"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = GridQuerySet.as_manager()

    class Meta:
        verbose_name = _("网格")
        verbose_name_plural = _("网格")
        ordering = ["sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "slug"], name="grid_unique_slug_per_parent"),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the visitor's language: Hanyu Pinyin on the English pages, Chinese otherwise."""
        if self.name_en and translation.get_language() == "en":
            return self.name_en
        return self.name

    @property
    def duty_list(self) -> list[str]:
        """The grid's duties, one per line: its own text, or the plan's duties for its level."""
        text = self.duties.strip() or DEFAULT_DUTIES.get(self.level, "")
        return [line.strip() for line in text.splitlines() if line.strip()]

    @property
    def township(self):
        return self.parent if self.level == GridLevel.VILLAGE else (self if self.level == GridLevel.TOWNSHIP else None)

    @property
    def path_codes(self) -> list[str]:
        """The codes from the top of the tree down to this grid."""
        return [code for code in self.path.split("/") if code]

    def ancestor(self, level: str):
        """The grid of this level above (or at) this one, or None (one query, none for itself)."""
        if self.level == level:
            return self
        return Grid.objects.filter(level=level, code__in=self.path_codes).first()

    def get_absolute_url(self) -> str:
        if self.level in (GridLevel.CITY, *ABOVE_COUNTY):
            return "/grid/"
        if self.level == GridLevel.TOWNSHIP:
            return f"/grid/{self.slug}/"
        return f"/grid/{self.parent.slug}/{self.slug}/"

    @property
    def full_name(self) -> str:
        """The village with its township: 东风镇红星村, "Hongxing Village, Dongfeng Town"."""
        if self.level == GridLevel.VILLAGE and self.parent_id:
            if translation.get_language() == "en" and self.name_en and self.parent.name_en:
                return f"{self.name_en}, {self.parent.name_en}"
            return f"{self.parent.name}{self.name}"
        return self.display_name

    def clean(self):
        errors = {}
        expected = PARENT_LEVEL.get(self.level)
        if self.parent is None:
            if self.level not in MAY_HEAD_TREE:
                errors["parent"] = _("%(level)s必须选择上级网格。") % {"level": self.get_level_display()}
            else:
                # One tree: a second county joins under its prefecture (and prefectures under the region); a
                # new top grid may only come above the present top, which then moves under it.
                rank = LEVEL_ORDER.index(self.level)
                top = next((g for g in Grid.objects.filter(parent__isnull=True).exclude(pk=self.pk)
                            if LEVEL_ORDER.index(g.level) <= rank), None)
                if top is not None:
                    errors["parent" if expected else "level"] = _(
                        "已有最上级网格“%(top)s”，网格只能有一个最上级；请为%(level)s选择上级网格。") % {
                        "top": top.name, "level": self.get_level_display()}
        elif expected is None:
            errors["parent"] = _("%(level)s是最上级，不能有上级网格。") % {"level": self.get_level_display()}
        elif self.parent.level != expected:
            errors["parent"] = _("%(level)s的上级必须是%(expected)s，您选择的“%(parent)s”是%(actual)s。") % {
                "level": self.get_level_display(), "expected": GridLevel(expected).label,
                "parent": self.parent.name, "actual": self.parent.get_level_display(),
            }
        elif self.pk and self.parent.path.startswith(self.path or "\0"):
            errors["parent"] = _("上级网格不能是本网格或其下级网格。")
        if (self.pk and self.level != GridLevel.VILLAGE
                and self.children.exclude(level=CHILD_LEVEL[self.level]).exists()):
            errors["level"] = _("该网格的下级网格层级与新层级不符，请先调整下级网格。")
        if self.pk and self.level == GridLevel.VILLAGE and self.children.exists():
            errors["level"] = _("村级网格不能有下级网格；该网格已有下级。")
        if self.boundary:
            from ..geo import boundary_error

            message = boundary_error(self.boundary)
            if message:
                errors["boundary"] = message
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # The pinyin follows a renamed grid unless staff wrote their own English name.
        old_name = Grid.objects.filter(pk=self.pk).values_list("name", flat=True).first() if self.pk else None
        if self.name and (not self.name_en.strip()
                          or (old_name and old_name != self.name and self.name_en == place_pinyin(old_name))):
            self.name_en = place_pinyin(self.name)[:80]
        self.full_clean()
        old_path = self.path
        self.path = f"{self.parent.path if self.parent_id else ''}{self.code}/"
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            # Moved or recoded: everything below follows (rare; one statement per level below).
            for below in Grid.objects.filter(path__startswith=old_path).exclude(pk=self.pk).order_by("path"):
                below.path = f"{Grid.objects.values_list('path', flat=True).get(pk=below.parent_id)}{below.code}/"
                Grid.objects.filter(pk=below.pk).update(path=below.path)
        place_forget()  # the top grid's name is the site's place name
