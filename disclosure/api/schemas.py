"""The shapes of the open-data API: query parameters (validated) and responses (documented in OpenAPI).

Every field a response carries is declared here, with a description; nothing else is serialised. The
producer fields are those the signboard (公示牌) prints, and no more: no legal representative, no
producer phone, no address, no internal inspector's phone.
"""

import datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import BaseModel

from ..models.grids import GridLevel
from ..models.people import Role
from ..models.producers import ProducerKind
from ..models.ratings import Grade
from ..models.substances import MAX_QUERY, SUBSTANCE_GROUPS, SubstanceCategory, SubstanceStatus

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100


def _literal(values):
    return Literal[tuple(values)]


KindValue = _literal(ProducerKind.values)
GradeValue = _literal(Grade.values)
LevelValue = _literal(GridLevel.values)
RoleValue = _literal(Role.values)
CategoryValue = _literal(SubstanceCategory.values)
StatusValue = _literal(SubstanceStatus.values)
GroupValue = _literal([g.key for g in SUBSTANCE_GROUPS])


# --- query parameters -----------------------------------------------------------------------------

class LangQuery(Schema):
    lang: Literal["zh", "en"] | None = Field(
        None, description="错误信息的语言（默认中文，或按 Accept-Language）/ language of error messages")


class PageQuery(LangQuery):
    page: int = Field(1, ge=1, description="页码，从 1 开始 / page number, from 1")
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE,
                           description=f"每页条数，最多 {MAX_PAGE_SIZE} / items per page, at most {MAX_PAGE_SIZE}")


class ProducerQuery(PageQuery):
    county: str | None = Field(None, pattern=r"^\d{6}$",
                               description="县（市）的 6 位区划代码，如 652301 / county division code")
    township: str | None = Field(None, description="乡镇区划代码或网址名，如 652301101 或 sangong / township code or slug")
    village: str | None = Field(None, pattern=r"^\d{12}$",
                                description="村的 12 位区划代码，如 652301101200 / village division code")
    kind: KindValue | None = Field(None, description="单位类型 / kind of producer")
    grade: GradeValue | None = Field(None, description="信用等级 / credit grade")
    updated_since: datetime.datetime | None = Field(
        None, description="只列出此后更新过的（ISO 8601 日期或时间，无时区按北京时间）/ changed at or after")


class GridQuery(PageQuery):
    level: LevelValue | None = Field(None, description="网格层级 / grid level")
    parent: str | None = Field(None, pattern=r"^\d{2}(\d{2}(\d{2}(\d{3})?)?)?$",
                               description="上级网格区划代码，如 652301 / parent grid's code")
    county: str | None = Field(None, pattern=r"^\d{6}$",
                               description="只列出该县（市）及其乡镇和村（6 位区划代码）/ a county and the grids in it")


class PersonQuery(PageQuery):
    role: RoleValue | None = Field(None, description="岗位 / role")
    grid: str | None = Field(None, pattern=r"^\d{6}(\d{3}){0,2}$",
                             description="只列出该网格本身的人员（区划代码）/ people of exactly this grid")
    township: str | None = Field(None, description="乡镇及其各村的人员（区划代码或网址名）/ a township and its villages")


class SubstanceQuery(PageQuery):
    category: CategoryValue | None = Field(None, description="类别 / category")
    status: StatusValue | None = Field(None, description="禁用 banned 或限用 restricted")
    group: GroupValue | None = Field(None, description="公开名录中的分组 / section of the public list")
    q: str | None = Field(None, max_length=MAX_QUERY,
                          description="名称、英文名、范围或依据中包含的文字，中文子串可匹配，如 甲胺 / substring")
    current: bool | None = Field(
        None, description="true：只列出今天有效且未被全面禁用取代的条目 / only entries in force and not superseded")


# --- responses --------------------------------------------------------------------------------------
# Plain pydantic models: the endpoints build dicts, so ninja's ORM-reading wrapper (Schema) would only
# cost time — about half of a 50-producer page's.

class Out(BaseModel):
    pass


class ErrorDetail(Out):
    message: str = Field(description="说明 / explanation")
    parameter: str | None = Field(None, description="出错的参数 / the parameter at fault")
    value: str | None = Field(None, description="收到的值 / the value received")
    allowed: list[str] | None = Field(None, description="可用的值或参数 / accepted values or parameters")


class ErrorBody(Out):
    status: int = Field(description="HTTP 状态码 / HTTP status")
    code: str = Field(description="invalid_parameter, unknown_parameter, not_found, page_out_of_range")
    language: Literal["zh", "en"] = Field(description="消息的语言 / language of the messages")
    message: str = Field(description="完整的说明 / the whole message")
    details: list[ErrorDetail]


class ErrorOut(Out):
    error: ErrorBody


class PageMeta(Out):
    count: int = Field(description="符合条件的总条数 / number of items matching")
    page: int = Field(description="本页页码 / this page")
    page_size: int = Field(description="每页条数 / items per page")
    num_pages: int = Field(description="总页数 / number of pages")
    next: str | None = Field(description="下一页的完整地址，没有则为 null / URL of the next page")
    previous: str | None = Field(description="上一页的完整地址，没有则为 null / URL of the previous page")


class PlaceRef(Out):
    code: str = Field(description="国家统计局统计用区划代码 / division code")
    name: str = Field(description="名称 / name")
    slug: str = Field(description="网址名 / slug used in the site's URLs")
    url: str = Field(description="网格地图页面 / grid map page")


class ProducerOut(Out):
    code: str = Field(description="公示编码（公示牌二维码指向的编码）/ public code on the signboard")
    name: str = Field(description="名称 / name")
    kind: KindValue = Field(description="单位类型代码 / kind")
    kind_label: str = Field(description="单位类型 / kind, in words")
    credit_code: str | None = Field(description="统一社会信用代码（营业执照），个人经营的为 null / unified social credit code")
    products: str = Field(description="主要产品 / main products")
    township: PlaceRef = Field(description="所属乡镇 / township")
    village: PlaceRef = Field(description="所属村级网格 / village grid")
    grade: GradeValue = Field(description="信用等级代码 / credit grade")
    grade_label: str = Field(description="信用等级 / credit grade, in words")
    grade_since: datetime.date | None = Field(description="评级日期 / date of the grade")
    key_supervision: bool = Field(
        description="是否列入重点监管名录（B、C 类或风险等级高）/ on the key supervision list (grade B or C, or high risk)")
    on_traceability_platform: bool = Field(description="已在国家追溯平台开展追溯 / on the national traceability platform")
    traceability_code: str | None = Field(description="追溯平台主体码 / subject code on that platform")
    issues_certificates: bool = Field(description="已开具食用农产品承诺达标合格证 / issues compliance certificates")
    self_commitment: bool = Field(description="进行自我承诺 / has made the self-commitment")
    page_url: str = Field(description="公开页面（二维码指向）/ public page")
    signboard_url: str = Field(description="公示牌 PDF / signboard PDF")
    updated_at: datetime.datetime = Field(description="信息更新时间 / last change")


class ProducerPage(PageMeta):
    results: list[ProducerOut]


class GridRef(Out):
    code: str = Field(description="区划代码 / division code")
    name: str = Field(description="名称 / name")
    level: LevelValue = Field(description="层级 / level")


class GridOut(Out):
    code: str = Field(description="区划代码 / division code")
    name: str = Field(description="名称 / name")
    level: LevelValue = Field(description="层级：city 市级、township 乡镇级、village 村级 / level")
    level_label: str = Field(description="层级 / level, in words")
    slug: str = Field(description="网址名 / slug")
    parent: GridRef | None = Field(description="上级网格，市级为 null / parent grid")
    url: str = Field(description="网格地图页面 / grid map page")
    poster_url: str = Field(description="网格化管理图海报 PDF / printable poster")
    duties: list[str] = Field(description="本级网格职责 / duties of the grid")
    updated_at: datetime.datetime = Field(description="更新时间 / last change")


class GridPage(PageMeta):
    results: list[GridOut]


class PersonOut(Out):
    person_id: int = Field(description="人员编号（同一人担任多个岗位时相同）/ same id for one person in several roles")
    name: str = Field(description="姓名 / name")
    position: str = Field(description="职务 / position")
    role: RoleValue = Field(description="岗位代码 / role")
    role_label: str = Field(description="岗位 / role, in words")
    grid: GridRef = Field(description="所在网格 / grid")
    grid_url: str = Field(description="网格地图页面 / grid map page")
    phone: str | None = Field(description="联系电话；本人未公开电话的为 null（请拨打投诉举报电话）/ null when not public")


class PersonPage(PageMeta):
    results: list[PersonOut]


class SubstanceOut(Out):
    id: int = Field(description="条目编号 / entry id")
    name_zh: str = Field(description="中文名称 / Chinese name")
    name_en: str = Field(description="英文通用名（ISO）/ English common name")
    category: CategoryValue = Field(description="类别代码 / category")
    category_label: str = Field(description="类别 / category, in words")
    status: StatusValue = Field(description="banned 禁用；restricted 限用（在部分范围禁止，或在食品动物中停止使用）")
    status_label: str = Field(description="管理类别 / status, in words")
    group: GroupValue | None = Field(description="公开名录中的分组 / section of the public list")
    group_label: str | None = Field(description="分组名称 / section title")
    restricted_scope: str = Field(description="禁止使用的范围（限用条目）/ where it must not be used")
    legal_basis: str = Field(description="依据（公告）/ legal basis")
    effective_date: datetime.date | None = Field(description="施行日期，未注明的为 null / in force from")
    in_force: bool = Field(description="今天是否已施行 / in force today")
    superseded: bool = Field(description="限用条目已被同一物质的全面禁用取代 / restriction replaced by a full ban")
    superseded_by: int | None = Field(description="取代它的禁用条目编号 / id of the full ban (in force or announced)")
    sources: list[str] = Field(description="整理时参考的公开资料网址 / public sources")
    url: str = Field(description="公开名录中的位置 / place on the public list")
    updated_at: datetime.datetime = Field(description="更新时间 / last change")


class SubstancePage(PageMeta):
    results: list[SubstanceOut]


class GradeOut(Out):
    grade: GradeValue = Field(description="信用等级代码 / code")
    label: str = Field(description="等级 / label")
    meaning: str = Field(description="含义 / what it means")
    key_supervision: bool = Field(description="是否列入重点监管名录 / on the key supervision list")


class EndpointOut(Out):
    path: str = Field(description="路径 / path")
    url: str = Field(description="完整地址 / URL")
    description: str = Field(description="说明 / what it serves")
    parameters: list[str] = Field(description="查询参数 / query parameters")


class IndexOut(Out):
    title: str
    description: str
    version: str
    schema_url: str = Field(description="OpenAPI 3 描述 / OpenAPI description")
    docs_url: str = Field(description="使用说明 / human-readable documentation")
    endpoints: list[EndpointOut]
