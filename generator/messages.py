"""The catalogue of diagnostic messages, keyed by stable code.

Codes are never renumbered or reused. E = error, W = warning, T = to-do (work an early stage has
not reached yet: shown, never blocking). Families: E1xx files and YAML, E2xx schema, E3xx indicator
systems, E4xx evaluations, E5xx process, E6xx datasets, W7xx warnings, E8xx score sheets, T9xx to-dos.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from string import Formatter


class Severity(StrEnum):
    """How bad a problem is."""

    ERROR = "error"
    WARNING = "warning"
    TODO = "todo"


@dataclass(frozen=True)
class Message:
    """One catalogue entry."""

    severity: Severity
    """Error or warning."""
    zh: str
    """Chinese message template (named fields)."""
    en: str
    """English message template (same fields)."""
    hint: str = ""
    """How to fix it, in Chinese."""
    title: str = ""
    """Short title for the code list in the docs."""
    fix: str = ""
    """How to fix it, for the docs, when ``hint`` is made at the call site (``{hint}``) or needs its fields."""


E, W, T = Severity.ERROR, Severity.WARNING, Severity.TODO

MESSAGES: dict[str, Message] = {
    # --- E1xx: files and YAML -------------------------------------------------------------
    "E101": Message(
        E,
        "YAML 语法错误：{problem_zh}",
        "YAML syntax error: {problem_en}",
        "检查缩进、冒号后的空格和引号是否成对。",
        "YAML 语法错误",
    ),
    "E102": Message(
        E,
        "文件不是 UTF-8 编码（看起来是 {encoding}）",
        "file is not UTF-8 (looks like {encoding})",
        "用编辑器以 UTF-8 编码另存（WPS/记事本：另存为 → 编码选 UTF-8）。",
        "文件编码不是 UTF-8",
    ),
    "E103": Message(
        E,
        "重复的键“{key}”（第一次出现在第 {first_line} 行）",
        "duplicate key '{key}' (first at line {first_line})",
        "删除或合并重复的键，YAML 中后出现的值会悄悄覆盖前一个。",
        "重复的键",
    ),
    "E104": Message(
        E,
        "文件过大（{size} 字节，上限 {limit} 字节）",
        "file too large ({size} bytes, limit {limit})",
        "把内容拆分到多个文件，或把大数据放到 datasets 中。",
        "文件过大",
    ),
    "E105": Message(
        E,
        "YAML 节点过多（展开后超过 {limit} 个），可能是别名炸弹",
        "YAML expands to more than {limit} nodes (alias bomb?)",
        "不要用锚点/别名（& 和 *）层层嵌套引用；大批数据请放到 datasets 的 CSV 中。",
        "节点过多（别名炸弹）",
    ),
    "E106": Message(
        E, "找不到文件 {path}", "file not found: {path}", "检查路径拼写；路径相对于所在文件夹。", "文件缺失"
    ),
    "E107": Message(
        E,
        "文件顶层应为映射（键: 值），实际为{found_zh}",
        "top level must be a mapping, found {found}",
        "文件应以“键: 值”形式书写。",
        "顶层不是映射",
    ),
    "E108": Message(
        E,
        "YAML 嵌套超过 {limit} 层",
        "YAML nests deeper than {limit} levels",
        "减少嵌套层级；别名（*名称）不能引用包含它自己的节点。",
        "嵌套过深",
    ),
    "E109": Message(
        E,
        "“{path}”不是{what_zh}：{detail_zh}",
        "'{path}' is not {what_en}: {detail_en}",
        "{hint}",
        "不是评价或指标体系文件夹",
        fix="evaluations/ 下每一项都须是含 evaluation.yaml 的评价文件夹，indicators/ 下每一项都须是含 system.yaml "
        "的指标体系文件夹：误删的文件用 git 恢复，不属于这里的文件或文件夹移出去。",
    ),
    "E110": Message(
        E,
        "“{path}”是指向仓库之外的符号链接，不会被读取",
        "'{path}' is a symbolic link that leads outside the repository; it is not read",
        "把文件本身放进仓库，不要用符号链接指向仓库之外。",
        "符号链接指向仓库之外",
    ),
    "E111": Message(
        E,
        "“{path}”不是普通文件（{kind_zh}），不会被读取",
        "'{path}' is not a regular file ({kind_en}); it is not read",
        "删除它，或换成普通文件。",
        "不是普通文件",
    ),
    "E112": Message(
        E,
        "Markdown 结构过于复杂：{what_zh}超过上限 {limit}，生成站点或报告时会耗时失控",
        "Markdown too complex: {what_en} exceeds the limit of {limit}; rendering would run away",
        "检查此处是否有多余或未配对的方括号、括号或 HTML 标签；需要字面的方括号时写成 \\[ 和 \\]。",
        "Markdown 结构过于复杂",
    ),
    # --- E2xx: schema ---------------------------------------------------------------------
    "E113": Message(
        E,
        "内部版不能写入“{path}”：{why_zh}",
        "the internal edition cannot be written to '{path}': {why_en}",
        "用默认的 build/internal/，或 build/ 下另一个新文件夹（build/ 不入库、不发布）。",
        "内部版输出目录会被发布或读取",
    ),
    "E114": Message(
        E,
        "内部版不能写入“{path}”：{why_zh}，内部资料不得离开仓库",
        "the internal edition cannot be written to '{path}': {why_en}; internal material stays in the repository",
        "用默认的 build/internal/，或仓库 build/ 下另一个新文件夹；需要交付时，从那里按保密规定拷贝。",
        "内部版输出目录在仓库之外",
    ),
    "E201": Message(
        E,
        "未知的键“{key}”{suggestion_zh}",
        "unknown key '{key}'{suggestion_en}",
        "允许的键：{allowed}",
        "未知的键",
        fix="改正键名（消息中给出最接近的键，提示中列出此处允许的全部键），或删除该键。",
    ),
    "E202": Message(
        E,
        "“{field}”的类型不对：{detail_zh}",
        "wrong type for '{field}': {detail_en}",
        "{hint}",
        "类型错误",
        fix="按字段要求的类型书写：文本、数字、日期（YYYY-MM-DD）、列表（- 项）或映射（键: 值）。",
    ),
    "E203": Message(
        E,
        "缺少必填项“{field}”",
        "missing required key '{field}'",
        "在此处添加“{field}: …”。",
        "缺少必填项",
        fix="在消息所指的映射中补上缺少的键。",
    ),
    "E204": Message(
        E,
        "“{field}”的值无效：{detail_zh}",
        "invalid value for '{field}': {detail_en}",
        "{hint}",
        "取值无效",
        fix="改为允许的取值（消息中列出可选值或范围）。",
    ),
    # --- E3xx: indicator systems ----------------------------------------------------------
    "E301": Message(
        E,
        "指标编号“{id}”重复（第一次出现在 {first}）",
        "duplicate indicator id '{id}' (first at {first})",
        "每个指标编号在整个指标体系中必须唯一。",
        "指标编号重复",
    ),
    "E302": Message(
        E,
        "“{id}”的下级指标分值合计 {total}，应等于 {expected}",
        "children of '{id}' add up to {total}, expected {expected}",
        "调整下级指标的 weight，使其合计等于上级分值。",
        "分值不相加",
    ),
    "E303": Message(
        E,
        "等级区间有问题：{detail_zh}",
        "grade bands are wrong: {detail_en}",
        "等级按从高到低排列，每一档的 min 等于下一档的 max，且该分数只属于其中一档（一档包含、另一档不包含），最低一档从 0 开始。",
        "等级区间有缺口或重叠",
    ),
    "E304": Message(
        E,
        "指标“{id}”的计分规则参数不合理：{detail_zh}",
        "scoring rule of '{id}' is unsound: {detail_en}",
        "{hint}",
        "计分规则参数不合理",
        fix="按提示调整规则参数，例如最高档分值等于指标分值、扣分上限不超过指标分值、否决项和加分项的 weight 为 0。",
    ),
    "E305": Message(
        E,
        "指标“{id}”{detail_zh}",
        "indicator '{id}' {detail_en}",
        "末级指标必须有 rule，有下级指标的不能有 rule。",
        "末级指标缺少计分规则",
    ),
    "E306": Message(
        E,
        "评价方式权重合计 {total}，应为 1",
        "mode weights add up to {total}, expected 1",
        "调整 modes 中各 weight。",
        "评价方式权重不为 1",
    ),
    "E307": Message(
        E,
        "未定义的测算项“{name}”{suggestion_zh}",
        "unknown measure '{name}'{suggestion_en}",
        "在指标体系的 measures 中定义它，或改正名称。已定义的测算项：{available}",
        "测算项未定义",
        fix="在指标体系的 measures 中定义该测算项，或把名称改成已定义的测算项。",
    ),
    "E308": Message(
        E,
        "顶层指标分值合计 {total}，应等于满分 {scale}",
        "top-level weights add up to {total}, expected scale {scale}",
        "调整各维度 weight 或 scale。",
        "总分值不等于满分",
    ),
    "E309": Message(
        E,
        "指标体系状态为“正式”，但{what}（操作性 §4.5、§8.3）",
        "the system is 正式 (in force) but {what_en}",
        "{hint}",
        "正式指标体系不完整",
        fix="补齐 §8.3 要求的内容：体系的 purpose、object、scope、use，每个末级指标的 data_source、method、evidence；"
        "尚未完备的体系把 status 改为 草案。",
    ),
    "E310": Message(
        E,
        "指标“{id}”的分值无法确定：{detail_zh}",
        "weight of '{id}' cannot be resolved: {detail_en}",
        "分值写成数字（2.5）、分数（1/86）或百分比（25%，占上级分值的比例）；上级写 split: equal 时下级不写 weight。",
        "分值写法无效",
    ),
    "E311": Message(
        E,
        "排名规则 ranking 有问题：{detail_zh}",
        "ranking order is wrong: {detail_en}",
        "{hint}",
        "排名规则不合理",
        fix="ranking 从 vetoed、grade、total、base 中选取，不重复；没有等级的体系不能按 grade 排名。",
    ),
    "E312": Message(
        E,
        "汇总阶段 aggregation 有问题：{detail_zh}",
        "aggregation stages are wrong: {detail_en}",
        "{hint}",
        "汇总阶段不合理",
        fix="按“base → bonus/cap → veto → grade”的顺序列出阶段；条件写成“base > 80”之类的比较；"
        "否决阶段的 grade 须是已定义的等级；有加分项、否决项、等级时分别要有 bonus、veto、grade 阶段。",
    ),
    "E313": Message(
        E,
        "测算项“{measure}”的条件 {field} 不能使用：{problem_zh}",
        "the {field} condition of measure '{measure}' is not allowed: {problem_en}",
        "条件只能是一个表达式：比较（= <> < <= > >=、IN、BETWEEN、LIKE、IS NULL）、AND/OR/NOT、算术、"
        "lower/upper/trim/length/coalesce/abs/date_diff/extract、CAST、常量和列名。",
        "测算条件不合规",
    ),
    "E314": Message(
        E,
        "分册“{path}”在指标体系文件夹之外，不会被读取",
        "part '{path}' lies outside the indicator system's folder; it is not read",
        "把分册文件放在指标体系文件夹内，parts 中写相对于 system.yaml 的路径，不要用 .. 或指向别处的链接。",
        "分册越出体系文件夹",
    ),
    # --- E4xx: evaluations ----------------------------------------------------------------
    "E401": Message(
        E,
        "找不到指标体系“{id}”{suggestion_zh}",
        "indicator system '{id}' not found{suggestion_en}",
        "可用的指标体系：{available}",
        "指标体系不存在",
        fix="把 system.id 改成 indicators/ 下已有的指标体系编号，或先添加该指标体系。",
    ),
    "E402": Message(
        E,
        "指标体系“{id}”当前版本为 {actual}，评价引用的是 {edition}",
        "system '{id}' is edition {actual}, evaluation uses {edition}",
        "更新 system.edition，或保留旧版指标体系。",
        "指标体系版本不符",
    ),
    "E403": Message(
        E,
        "未知的指标编号“{id}”{suggestion_zh}",
        "unknown indicator id '{id}'{suggestion_en}",
        "检查编号是否与指标体系一致。",
        "未知的指标编号",
    ),
    "E404": Message(
        E,
        "指标“{id}”（{name}）未评分，也未说明不适用的理由（全面性，§4.3）",
        "indicator '{id}' is neither scored nor marked not applicable",
        "填写 observation，或写 not_applicable: 理由。",
        "指标未评分",
    ),
    "E405": Message(
        E,
        "指标“{id}”的观测值不符合计分规则：{detail_zh}",
        "observation of '{id}' does not fit its rule: {detail_en}",
        "{hint}",
        "观测值不符合规则",
        fix="按计分规则填写观测值：达标/不达标、规则中的等级名称、范围内的数值或“编号: 次数”的映射。",
    ),
    "E406": Message(
        E,
        "引用的文件不存在：{path}",
        "referenced file not found: {path}",
        "把文件（证据、纪要、方案、数据集）放入评价文件夹，或改正路径。",
        "引用的文件缺失",
    ),
    "E407": Message(
        E,
        "路径“{path}”指向评价文件夹之外",
        "path '{path}' resolves outside the evaluation folder",
        "证据和附件只能引用本评价文件夹内的文件。",
        "路径越出评价文件夹",
    ),
    "E408": Message(
        E,
        "{what}日期 {date} 不在评价期 {start} 至 {end} 之内",
        "{what_en} date {date} is outside the period {start}..{end}",
        "改正日期，或调整评价期。",
        "日期超出评价期",
    ),
    "E409": Message(
        E,
        "日期先后颠倒：{detail_zh}",
        "dates out of order: {detail_en}",
        "开始日期不能晚于结束日期。",
        "日期顺序错误",
    ),
    "E410": Message(
        E,
        "缺少{what}",
        "missing {what_en}",
        "{hint}",
        "缺少必需的人员或记录",
        fix="补上缺少的人员或记录，例如在 team 中指定一名组长（§8.2）。",
    ),
    "E411": Message(
        E,
        "未知的人员“{id}”{suggestion_zh}",
        "unknown person '{id}'{suggestion_en}",
        "人员须在 team、experts 或 party_staff 中登记。",
        "未登记的人员",
    ),
    "E412": Message(
        E,
        "独立性冲突：{who}{why}（§4.1）",
        "independence conflict: {who_en} {why_en} (§4.1)",
        "更换人员或评价机构；被评价方自评的评分，放在指标体系中 self_assessment: true 的评价方式下。",
        "评价人员或评价机构不独立",
    ),
    "E413": Message(
        E,
        "指标“{id}”有下级指标，不能直接评分",
        "indicator '{id}' has children and cannot be scored directly",
        "为其末级指标评分。",
        "给非末级指标评分",
    ),
    "E414": Message(
        E,
        "指标“{id}”在 {first} 中已评分",
        "indicator '{id}' is already scored in {first}",
        "每个指标只在一个评分文件中出现一次。",
        "指标重复评分",
    ),
    "E415": Message(
        E, "人员编号“{id}”重复", "duplicate person id '{id}'", "每个人员编号必须唯一。", "人员编号重复"
    ),
    "E416": Message(
        E,
        "评价编号“{id}”与文件夹名“{folder}”不一致",
        "evaluation id '{id}' does not match folder '{folder}'",
        "把 id 改成文件夹名。",
        "评价编号与文件夹不一致",
    ),
    "E417": Message(
        E,
        "评价方式“{mode}”未在指标体系中定义",
        "mode '{mode}' is not defined by the system",
        "可用的评价方式：{available}",
        "未定义的评价方式",
        fix="删除 mode，或改成指标体系 modes 中定义的评价方式。",
    ),
    "E418": Message(
        E,
        "单位“{name}”未在 organisations.yaml 中登记{suggestion_zh}",
        "organisation '{name}' is not listed in organisations.yaml{suggestion_en}",
        "在仓库根目录的 organisations.yaml 中登记该单位（id、name，下属单位写明 parent），或改正名称；"
        "是否隶属被评价方或委托方由登记的上下级关系判断（§4.1）。",
        "单位未登记",
    ),
    "E419": Message(
        E,
        "单位或评价机构登记有误：{detail_zh}",
        "organisations or bodies are wrong: {detail_en}",
        "{hint}",
        "单位登记有误",
        fix="每个单位的 id 和名称（含别名）只登记一次，parent 指向已登记的单位且不成环；每个评价机构只有一份 body.yaml。",
    ),
    "E420": Message(
        E,
        "证据采集时间 {captured} 早于评价期开始 {start}（时效性，§4.4；指标体系规定此项为错误）",
        "evidence captured {captured}, before the period starts {start} (an error under this system)",
        "在评价期内重新采集证据；如该证据确实可以早于评价期，由指标体系的 timeliness 规定为警告。",
        "证据早于评价期",
    ),
    "E421": Message(
        E,
        "证据没有采集日期 captured（时效性，§4.4；指标体系规定此项为错误）",
        "evidence has no capture date (an error under this system)",
        "填写 captured: YYYY-MM-DD（采集或截图的日期）。",
        "证据缺少采集日期",
    ),
    "E422": Message(
        E,
        "上次评价“{id}”{detail_zh}",
        "previous evaluation '{id}' {detail_en}",
        "{hint}",
        "上次评价引用无效",
        fix="previous 写成 evaluations/ 下已有的、同一被评价方、评价期更早的评价编号，或删除这一行。",
    ),
    # --- E5xx: the evaluation process (stages, sampling, confirmation, rectification) ------------
    "E501": Message(
        E,
        "阶段为“{stage}”，但缺少{what}",
        "stage {stage} is claimed without {what_en}",
        "{hint}",
        "阶段所需记录缺失",
        fix="补齐该阶段及之前各阶段应有的记录（§8.2、§8.4、§8.5），或把 stage 改回实际所处的阶段。",
    ),
    "E502": Message(
        E,
        "{kind}日期 {date} 不在日程安排 {start} 至 {end} 之内",
        "{kind} on {date} falls outside the schedule {start}..{end}",
        "改正活动日期，或在 schedule 中补充相应日程。",
        "活动不在日程之内",
    ),
    "E503": Message(
        E,
        "流程顺序有误：{detail_zh}",
        "process steps out of order: {detail_en}",
        "{hint}",
        "流程顺序错误",
        fix="核对各项日期，按首次会议 → 评价活动 → 末次会议 → 评价初稿 → 提交 → 发布的顺序记录。",
    ),
    "E504": Message(
        E,
        "阶段为“{stage}”，但确认状态为“{status}”",
        "stage {stage} but confirmation status {status}",
        "使 confirmation.status 与 stage 一致（已确认 ↔ 已确认，有异议 ↔ 有异议）。",
        "确认状态与阶段不符",
    ),
    "E505": Message(
        E,
        "异议 {id} 尚未答复，不能处于“{stage}”阶段",
        "objection {id} has no response at stage {stage}",
        "在该异议下填写 response（decision、date、text）。",
        "异议未答复",
    ),
    "E506": Message(
        E,
        "异议 {id} 的答复与评分变更不符：{detail_zh}",
        "response to objection {id} and score changes disagree: {detail_en}",
        "{hint}",
        "异议答复与评分变更不符",
        fix="采纳的异议在 changes 中逐项记录评分变更（指标、调整前、调整后）；不采纳的异议不记录变更。",
    ),
    "E507": Message(
        E,
        "异议 {id} 记录指标 {indicator} 调整后为 {after}，但评分文件中为 {current}",
        "objection {id} changes {indicator} to {after}, but the score file holds {current}",
        "评分文件应保存调整后的观测值；调整前的值只记在 changes 的 before 中。",
        "评分变更与评分文件不符",
    ),
    "E508": Message(
        E,
        "抽样框 {frame} 已变动：SHA-256 应为 {recorded}，实际为 {actual}",
        "frame {frame} changed: SHA-256 recorded {recorded}, found {actual}",
        "恢复抽样时的抽样框文件；如需重新抽样，用 zwpj sample 重新生成记录。",
        "抽样框已变动",
    ),
    "E509": Message(
        E,
        "抽样记录 {id} 与按种子 {seed} 重新抽取的结果不一致：{detail_zh}",
        "sample {id} differs from a re-draw with seed {seed}: {detail_en}",
        "不要手工修改 drawn 或 strata；用 zwpj sample 重新抽取并记录。",
        "样本无法复现",
    ),
    "E510": Message(
        E,
        "抽样记录 {id} 无法复核：{detail_zh}",
        "sample {id} cannot be re-drawn: {detail_en}",
        "{hint}",
        "抽样记录无法复核",
        fix="改正抽样记录中的 key、by 或 frame，使之与抽样框一致；必要时用 zwpj sample 重新抽取。",
    ),
    "E511": Message(
        E,
        "整改项 {id} 记录不完整：{detail_zh}",
        "rectification item {id} is incomplete: {detail_en}",
        "{hint}",
        "整改记录不完整",
        fix="按状态补齐整改记录：已完成须有 done，已验证须有 verification（by、date、how）。",
    ),
    "E512": Message(
        E,
        "{what}编号“{id}”重复",
        "duplicate {what_en} id '{id}'",
        "每个编号在本评价中必须唯一。",
        "过程记录编号重复",
    ),
    "E513": Message(
        E,
        "内部内容标记“{marker}”没有对应的结束标记",
        "internal marker '{marker}' is not closed",
        "在内部内容之后加上 {closing}；未闭合时公开版本会删去其后的全部内容。",
        "内部内容标记未闭合",
        fix="在内部内容之后加上对应的结束标记，例如 <!-- /internal -->；未闭合时公开版本会删去其后的全部内容。",
    ),
    "E514": Message(
        E,
        "报告提交有误：{detail_zh}（§8.5.2）",
        "report submission is wrong: {detail_en}",
        "{hint}",
        "报告提交方或接收方不符",
        fix="submission.to 写委托方（或其内设机构），submission.by 写评价机构；名称须在 organisations.yaml 中登记。",
    ),
    "E515": Message(
        E,
        "确认方有误：{detail_zh}（§8.5.3）",
        "confirmation is wrong: {detail_en}",
        "{hint}",
        "确认方不是被评价方",
        fix="confirmation.by 写被评价方（或其内设机构）及确认人，例如 某某局（张三）。",
    ),
    "E516": Message(
        E,
        "阶段为“{stage}”，但{what}仍是占位文本“{text}”",
        "stage {stage} is claimed but {what_en} is still the placeholder '{text}'",
        "把占位文本替换为实际内容（zwpj new 写入的“（待填写…）”）。",
        "占位内容未填写",
    ),
    "E517": Message(
        E,
        "评价机构“{body}”缺少{what}（§5.1）",
        "evaluation body '{body}' lacks {what_en} (§5.1)",
        "{hint}",
        "评价机构记录缺失",
        fix="在 bodies/<机构>/body.yaml 中记录评价岗位及职责、工作机制、工作计划、管理制度、评价对象和范围、内部奖惩机制；"
        "哪些必须记录由指标体系的 body_requirements 规定。",
    ),
    "E518": Message(
        E,
        "工作组成员 {name}（{id}）没有{what}记录（§5.2）",
        "team member {name} ({id}) has no {what_en} on record (§5.2)",
        "在评价机构的 body.yaml 的 staff 中（或本评价 team 的该成员下）记录 {field}。",
        "评价人员培训或资质未记录",
    ),
    "E519": Message(
        E,
        "看起来像内部内容标记，但不会被识别（{kind_zh}中的“{word}”），其后的内容将会公开",
        "looks like an internal marker but is not one ('{word}' in {kind_en}); the text would be published",
        "内部内容只能这样标记（顶格书写，internal 小写）：<!-- internal --> … <!-- /internal -->、"
        "```internal 代码块、::: internal … :::；在列表项或引用中请用注释标记。若并非要标记内部内容，请改写此处。",
        "内部内容标记写法有误",
    ),
    # --- E6xx: datasets -------------------------------------------------------------------
    "E601": Message(
        E,
        "数据集缺少列“{column}”（现有列：{columns}）",
        "dataset lacks column '{column}' (has: {columns})",
        "按指标体系 measures 中的 columns 补齐列名（第一行为表头）。",
        "数据集缺列",
    ),
    "E602": Message(
        E,
        "第 {row} 行“{column}”列的值“{value}”不是有效日期",
        "row {row}: '{value}' in column '{column}' is not a date",
        "日期写成 2024-05-01 或 2024-05-01 10:30:00（年份 1900–2200，不带时区，不写 epoch、infinity 等词）。",
        "数据集日期无效",
    ),
    "E603": Message(
        E,
        "第 {row} 行“{column}”列的值“{value}”不是有效等级（应为 {levels}）",
        "row {row}: '{value}' in column '{column}' is not a level ({levels})",
        "统一等级名称，例如“非常满意”。",
        "数据集等级名称无效",
    ),
    "E604": Message(
        E,
        "无法读取数据集：{problem_zh}",
        "cannot read dataset: {problem_en}",
        "确认文件为 UTF-8 编码的 CSV（首行表头）、XLSX 或 Parquet。",
        "数据集无法读取",
    ),
    "E605": Message(
        E,
        "测算项“{measure}”需要数据集“{dataset}”，但评价未提供",
        "measure '{measure}' needs dataset '{dataset}'",
        "在 evaluation.yaml 的 datasets 中登记该数据文件。",
        "缺少数据集",
    ),
    "E606": Message(
        E,
        "测算项“{measure}”的条件无法在数据上执行：{problem_zh}",
        "measure '{measure}' cannot run on the data: {problem_en}",
        "检查条件中各列的类型是否与数据一致（日期列列入 date_columns，数字列只含数字）。",
        "测算条件无法执行",
    ),
    "E607": Message(
        E,
        "测算项“{measure}”没有可计算的记录（{rows}：0 条），比例无从计算",
        "measure '{measure}' has no rows to compute from ({rows}: 0 rows)",
        "若该指标确实不适用（例如评价期内没有差评），在评分文件中为它写 not_applicable 并说明理由。",
        "测算项没有记录",
    ),
    "E608": Message(
        E,
        "“{column}”列有 {count} 行日期不在统计期 {start} 至 {end} 之内（最早 {first}，最晚 {last}）（时效性，§4.4）",
        "{count} rows of column '{column}' are dated outside the data period {start}..{end} (earliest {first}, latest {last})",
        "核对数据集是否取自规定的统计期；统计期不同于评价期时，在 evaluation.yaml 中写明 data_period。",
        "数据集日期不在统计期内",
    ),
    "E609": Message(
        E,
        "数据集 {dataset} 的测算超出时间上限（{limit} 秒），已停止",
        "measures on {dataset} passed the time limit ({limit} s) and were stopped",
        "数据集过大或条件过于复杂：精简数据集（只保留所需的列和评价期内的记录），或简化条件。",
        "测算超时",
    ),
    "E610": Message(
        E,
        "数据集 {dataset} 的测算超出内存上限（{limit}），已停止",
        "measures on {dataset} passed the memory limit ({limit}) and were stopped",
        "精简数据集：只保留测算项需要的列和评价期内的记录，或拆分为多个文件。",
        "测算超出内存上限",
    ),
    "E611": Message(
        E,
        "第 {row} 行“{column}”列的值“{value}”不是有效数字（这一列的其他值都是数字）",
        "row {row}: '{value}' in column '{column}' is not a number (the column holds numbers)",
        "改成数字（不带单位和文字），空值请留空。",
        "数据集数字无效",
    ),
    # --- W7xx: warnings -------------------------------------------------------------------
    "W701": Message(
        W,
        "证据采集时间 {captured} 早于评价期开始 {start}（时效性，§4.4）",
        "evidence captured {captured}, before the period starts {start}",
        "补充评价期内的证据，或说明理由。",
        "证据过期",
    ),
    "W702": Message(
        W,
        "指标“{id}”评分人意见分歧较大：得分率相差 {spread}，超过 {limit}（{raters}）",
        "raters disagree on '{id}': scores differ by {spread}, more than {limit} ({raters})",
        "组织复核，统一尺度后再评。",
        "评分人分歧过大",
    ),
    "W703": Message(
        W,
        "评分一致性 Krippendorff α = {alpha}，低于 {min}",
        "inter-rater agreement α = {alpha} is below {min}",
        "组织评分人校准培训后复评。",
        "评分一致性偏低",
    ),
    "W704": Message(
        W,
        "与上次评价使用的指标体系版本不同（{previous} → {current}），比较仅供参考",
        "previous evaluation used edition {previous}, this one {current}",
        "",
        "前后两次指标体系版本不同",
        fix="无须修改；前后两次评价的得分比较仅供参考，报告中会注明版本不同。",
    ),
    "W705": Message(
        W,
        "证据没有采集日期 captured，无法判断时效性（§4.4）",
        "evidence has no capture date; its timeliness cannot be judged",
        "填写 captured: YYYY-MM-DD（采集或截图的日期）。",
        "证据缺少采集日期",
    ),
    "W706": Message(
        W,
        "证据采集时间 {captured} 晚于评价期结束 {end}（时效性，§4.4）",
        "evidence captured {captured}, after the period ends {end}",
        "核对采集日期；评价期结束后补充的证据应说明理由。",
        "证据晚于评价期",
    ),
    "W707": Message(
        W,
        "“{column}”列有 {count} 行日期不在统计期 {start} 至 {end} 之内（最早 {first}，最晚 {last}）（时效性，§4.4）",
        "{count} rows of column '{column}' are dated outside the data period {start}..{end} (earliest {first}, latest {last})",
        "核对数据集是否取自规定的统计期；统计期不同于评价期时，在 evaluation.yaml 中写明 data_period。",
        "数据集日期不在统计期内",
    ),
    "W751": Message(
        W,
        "报告提交日期 {date} 晚于方案规定的 {due}，逾期 {days} 天（§8.5.2）",
        "report submitted {date}, {days} days after the due date {due}",
        "如实记录；如方案调整了期限，更新 plan.report_due。",
        "报告逾期提交",
    ),
    "W752": Message(
        W,
        "{what}（{date}）超出答复期限：最迟应为 {deadline}（报告提交后 {limit} 个工作日），晚 {days} 个工作日",
        "{what_en} ({date}) is {days} working days after the deadline {deadline} ({limit} working days)",
        "核对日期；期限由 plan.response_days 设定，节假日见仓库根目录 calendar.yaml。",
        "超出确认或异议期限",
    ),
    "W753": Message(
        W,
        "整改项 {id} 已逾期 {days} 天（应于 {due} 前完成，状态“{status}”，截至 {as_of}）",
        "rectification item {id} is {days} days overdue (due {due}, status {status}, as of {as_of})",
        "推进整改并更新 status，或如实记录调整后的期限。",
        "整改逾期",
    ),
    "W754": Message(
        W,
        "评价结果已发布，但被评价方未确认（确认状态“{status}”）",
        "the result is published without the evaluated party's confirmation (status {status})",
        "站点和报告会标注“未确认”；取得确认后更新 confirmation。",
        "未经确认即发布",
    ),
    "W755": Message(
        W,
        "{kind}日期 {date} 不在日程“{item}”（{start} 至 {end}）之内",
        "{kind} on {date} is outside its schedule item '{item}' ({start}..{end})",
        "核对活动日期与日程安排是否一致。",
        "活动与日程条目不符",
    ),
    "W760": Message(
        W,
        "被评价方（层级“{level}”，类别“{kind}”）不属于 publishing.yaml 中的任何排名分组，将在“其他”组中排名",
        "the evaluated party (level {level}, kind {kind}) fits no ranking group of publishing.yaml; it is ranked in 其他",
        "填写或改正 evaluated.level、evaluated.kind，或在 publishing.yaml 的 rankings.groups 中增加相应分组。",
        "不属于任何排名分组",
    ),
    # W76x: narrative Markdown that the one sanitising policy (render.narrative.policy) shows as text or drops
    "W761": Message(
        W,
        "原始 HTML“{snippet}”不会生效，站点和报告中按原文显示",
        "raw HTML '{snippet}' is not rendered: the site and the reports show it as text",
        "改用 Markdown 写法（**加粗**、*强调*、列表、表格）；需要原样展示的代码放进 `代码` 或代码块。",
        "叙述中的原始 HTML",
    ),
    "W762": Message(
        W,
        "{format} 格式的原始内容“{snippet}”不会生效，站点和报告中按原文显示",
        "raw {format} content '{snippet}' is not rendered: the site and the reports show it as text",
        "删除 {{={format}}} 等原始格式标记和排版命令；分页、目录、字段由报告模板生成，叙述中只写 Markdown。",
        "叙述中的原始格式内容",
        fix="删除 `{=html}`、`{=openxml}`、`{=latex}` 等原始格式标记和 TeX 命令；分页、目录、字段由报告模板生成，叙述中只写 Markdown。",
    ),
    "W763": Message(
        W,
        "属性或分区标记“{snippet}”不会生效，站点和报告中按原文显示",
        "attributes or fenced div '{snippet}' are not applied: the site and the reports show them as text",
        "删除 {{#…}}、{{.…}}、{{键=值}} 属性块和 ::: 分区标记；样式由报告模板统一规定。",
        "叙述中的属性或分区标记",
        fix="删除 `{#…}`、`{.…}`、`{键=值}` 属性块和 `:::` 分区标记；样式由报告模板统一规定。",
    ),
    "W764": Message(
        W,
        "链接地址“{target}”不允许（只允许 http、https、mailto），已去掉链接，保留文字",
        "link target '{target}' is not allowed (only http, https, mailto): the link is dropped, its text kept",
        "改用 http(s) 网址或 mailto: 邮件地址；评价文件夹中的文件用相对路径链接。",
        "不允许的链接地址",
    ),
    "W765": Message(
        W,
        "图片“{target}”不在本评价文件夹中，不会显示，以替代文字代替",
        "image '{target}' is not a file of this evaluation: it is not shown, its alt text is",
        "把图片保存到评价文件夹（如 evidence/），用相对路径引用；站点和报告不从外部地址或 data: 地址取图。",
        "外部图片",
    ),
    "W766": Message(
        W,
        "链接或图片指向的“{target}”不发布（{reason}），已去掉链接或图片，保留文字",
        "link or image '{target}' is not published ({reason_en}): dropped, its text kept",
        "核对路径（相对于评价文件夹）；内部材料不能在公开叙述中链接；图片限 PNG、JPEG、GIF，不超过 5 MB。",
        "链接或图片指向不发布的文件",
    ),
    "W770": Message(
        W,
        "记录截至日期 as_of {as_of} 早于评价记录中的日期 {recorded}，按 {recorded} 计",
        "as_of {as_of} is earlier than a date the evaluation records ({recorded}); {recorded} is used",
        "把 as_of 改为记录核对到的日期（不早于 {recorded}），或删去 as_of。",
        "记录截至日期早于记录",
    ),
    "W771": Message(
        W,
        "发布的总分 {recorded} 由生成器 {version} 算出，当前生成器 {current} 算得 {total}",
        "the published total {recorded} was scored by generator {version}; generator {current} gives {total}",
        "按 docs/upgrade.md 处理：查看 docs/changelog.md 中 {version} 之后的计分变化；结果已发布的，"
        "或保留原结果（不升级或注明），或经评价机构确认后更正并重新运行 zwpj score --record。",
        "新版本生成器改变了已发布的总分",
    ),
    # --- E8xx: score sheets (export-sheet / import-sheet) ------------------------------------
    "E801": Message(
        E,
        "表格属于评价“{found}”，不是“{expected}”",
        "sheet belongs to evaluation '{found}', not '{expected}'",
        "导入到对应的评价，或对本评价重新运行 zwpj export-sheet。",
        "表格属于其他评价",
    ),
    "E802": Message(
        E,
        "表格按指标体系 {found} 导出，评价现用 {expected}",
        "sheet was exported for system {found}, the evaluation uses {expected}",
        "指标体系或版本已变化，请重新导出评分表后再填写。",
        "表格的指标体系版本不符",
    ),
    "E803": Message(
        E,
        "不是本工具导出的评分表：{detail_zh}",
        "not a score sheet exported by zwpj: {detail_en}",
        "用 zwpj export-sheet 导出评分表，在其中填写，不要删除隐藏的工作表。",
        "不是导出的评分表",
    ),
    "E804": Message(
        E,
        "工作表“{sheet}”{cell}（{header}）：{detail_zh}",
        "sheet '{sheet}' {cell} ({header}): {detail_en}",
        "{hint}",
        "单元格的值无效",
        fix="按单元格所在列的要求改正（观测值按计分规则填写，评价人员填已登记的姓名或编号，证据按“路径 | 日期”书写）。",
    ),
    "E805": Message(
        E,
        "工作表“{sheet}”{cell}：未知的指标编号“{id}”",
        "sheet '{sheet}' {cell}: unknown indicator id '{id}'",
        "不要修改“编号”列；编号须是本指标体系的末级指标。",
        "表格中的指标编号未知",
    ),
    "E806": Message(
        E,
        "工作表“{sheet}”{cell}：指标“{id}”在表中重复出现（第一次在第 {first} 行）",
        "sheet '{sheet}' {cell}: indicator '{id}' appears twice (first at row {first})",
        "删除重复的行。",
        "表格中的指标重复",
    ),
    "E807": Message(
        E,
        "工作表“{sheet}”{cell}（{header}）：此项为只读（{why_zh}），表中的修改不会生效",
        "sheet '{sheet}' {cell} ({header}): read-only ({why_en}), the edit cannot be imported",
        "恢复原值，直接在 YAML 文件中修改。",
        "修改了只读单元格",
    ),
    "E808": Message(
        E,
        "工作表“{sheet}”{cell}（{header}）：导出后 YAML 中此项也已修改（现为“{current}”）",
        "sheet '{sheet}' {cell} ({header}): the YAML changed too since export (now '{current}')",
        "确认保留哪一个值：重新导出后再修改，或先在 YAML 中改回。",
        "表格与 YAML 修改冲突",
    ),
    "E809": Message(
        E,
        "无法读取表格：{problem_zh}",
        "cannot read the workbook: {problem_en}",
        "确认文件为 .xlsx 格式（WPS/Excel：另存为 → Excel 工作簿）。",
        "表格无法读取",
    ),
    "E810": Message(
        E,
        "工作表“{sheet}”{cell}（{header}）是公式，不能导入",
        "sheet '{sheet}' {cell} ({header}) holds a formula, which is not imported",
        "把公式转换为数值（复制后“选择性粘贴 → 数值”），或直接输入值。",
        "单元格是公式",
    ),
    "E811": Message(
        E,
        "工作表“{sheet}”{cell}：证据“{target}”在 YAML 中标为内部，不能在表格中取消",
        "sheet '{sheet}' {cell}: evidence '{target}' is internal in the YAML and stays so",
        "在这一行末尾保留“| 内部”；确需公开，请直接修改 YAML 中的 internal。",
        "表格中取消了内部标记",
    ),
    # --- E9xx: report templates of the evaluation bodies ------------------------------------------
    "E901": Message(
        E,
        "报告模板“{name}”不存在{suggestion_zh}",
        "report template '{name}' does not exist{suggestion_en}",
        "body.template 写 templates/ 下的文件夹名（现有：{available}），或删去此项使用默认模板。",
        "报告模板不存在",
        fix="body.template 改为 templates/ 下已有的文件夹名，或删去此项使用默认模板。",
    ),
    "E902": Message(
        E,
        "报告模板样式有误：{detail_zh}",
        "report template style is invalid: {detail_en}",
        "对照 docs/reports.md 修改 style.yaml；只需写与默认模板不同的项。",
        "报告模板样式有误",
    ),
    "E903": Message(
        E,
        "报告模板无法生成报告：{problem}",
        "report template cannot render a report: {problem}",
        "检查 Jinja 语法（{{% block %}} 与 {{% endblock %}} 成对、变量名拼写），可用的变量见 docs/reports.md。",
        "报告模板无法生成报告",
    ),
    "E904": Message(
        E,
        "报告模板缺少 DB34/T 3556-2019 §8.5.1 第 {number} 项“{item}”的内容：{what}",
        "report template leaves out content of item {number} of DB34/T 3556-2019 §8.5.1 ({key}): {count} fact(s) missing",
        "在该项的块中写出这些内容（可用 {{{{ super() }}}} 保留默认内容后再增补），见 docs/reports.md。",
        "报告模板缺少 §8.5.1 规定的内容",
    ),
    # --- T9xx: to-dos: work an early stage has not reached yet; shown, never blocking -------------
    "T901": Message(
        T,
        "指标“{id}”（{name}）尚未评分：进入“{needed}”前须评分或说明不适用",
        "indicator '{id}' ({name}) is not scored yet: needed by stage {needed}",
        "在评分文件中填写 observation，或写 not_applicable: 理由（全面性，§4.3）。",
        "待评分的指标",
    ),
    "T902": Message(
        T,
        "{what}仍是占位文本“{text}”：进入“{needed}”前须填写",
        "{what_en} is still the placeholder '{text}': needed by stage {needed}",
        "把占位文本替换为实际内容。",
        "待填写的内容",
    ),
    "T903": Message(
        T,
        "测算项“{measure}”需要数据集“{dataset}”：进入“{needed}”前须在 datasets 中登记",
        "measure '{measure}' needs dataset '{dataset}': needed by stage {needed}",
        "取得数据后放入评价文件夹，并在 evaluation.yaml 的 datasets 中登记。",
        "待提供的数据集",
    ),
    "T904": Message(
        T,
        "尚缺{what}：进入“{needed}”前须具备",
        "{what_en} is not recorded yet: needed by stage {needed}",
        "{hint}",
        "待补的阶段记录",
        fix="补齐评价准备的记录（§8.2），然后把 stage 改为“评价准备”；在此之前它只是待办，不阻止提交。",
    ),
}


# --- Variants: the wording a message takes in one case --------------------------------------
# A message with a field for its detail (``{detail_zh}``, ``{what}``, ``{hint}`` …) names one of these
# at the call site, with the variant's own fields:
#     src.diag(at, "E409", detail="period_ends_before_starts", end=end, start=start)
# and ``diagnostics.diag`` fills the message's wording fields from the variant's templates. So every
# word a reader sees is in this file; a test refuses wording written at a call site.
DETAILS: dict[str, dict[str, str]] = {
    # --- an observation that does not fit its rule (score.problem.Problem: E405, E304, E80x) ---
    "rule_binary_expected": {
        "detail_zh": "应为“{pass_label}”或“{fail_label}”，实际为“{obs}”",
        "detail_en": "expected '{pass_label}' or '{fail_label}', got '{obs}'",
        "hint": "写 {forms}。",
    },
    "rule_level_unknown": {
        "detail_zh": "等级“{obs}”不在 {names} 之中",
        "detail_en": "level '{obs}' is not one of {names}",
        "hint": "改为 {names} 之一。",
    },
    "rule_dataset_empty": {
        "detail_zh": "数据集中没有可计算的记录",
        "detail_en": "the dataset has no rows to compute from",
        "hint": "检查数据集内容。",
    },
    "rule_fraction_invalid": {
        "detail_zh": "分子、分母应为非负数且分母大于 0",
        "detail_en": "numerator/denominator must be non-negative, denominator > 0",
        "hint": "写成 {{numerator: 930, denominator: 1000}}。",
    },
    "rule_numerator_exceeds": {
        "detail_zh": "分子 {num} 大于分母 {den}",
        "detail_en": "numerator {num} exceeds denominator {den}",
        "hint": "检查统计口径。",
    },
    "rule_number_expected": {
        "detail_zh": "应为数值，实际为“{obs}”",
        "detail_en": "expected a number, got '{obs}'",
        "hint": "填写{forms}。",
    },
    "rule_value_out_of_range": {
        "detail_zh": "数值 {obs} 超出范围 {low}–{high}",
        "detail_en": "value {obs} is outside {low}..{high}",
        "hint": "比例写 0 到 1 之间的小数，百分比写 0 到 100。",
    },
    "rule_counts_mapping_expected": {
        "detail_zh": "应为“{what}编号: 次数”的映射",
        "detail_en": "expected a mapping of {what} id to count",
        "hint": "例如 {first}: 2",
    },
    "rule_item_unknown": {
        "detail_zh": "未知的{what}“{key}”（可用：{names}）",
        "detail_en": "unknown item '{key}' (known: {names})",
        "hint": "写编号，或写名称（可只写括号、逗号前的部分：{shorts}）。",
    },
    "rule_count_invalid": {
        "detail_zh": "“{key}”的次数应为非负整数",
        "detail_en": "count of '{key}' must be a non-negative integer",
        "hint": "填写次数。",
    },
    "rule_veto_expected": {
        "detail_zh": "应为 true（存在否决情形）或 false，实际为“{obs}”",
        "detail_en": "expected true or false, got '{obs}'",
        "hint": "写 {forms}。",
    },
    "rule_satisfaction_mapping_expected": {
        "detail_zh": "应为“满意度等级: 人次”的映射",
        "detail_en": "expected a mapping of level to count",
        "hint": "等级：{names}",
    },
    "rule_satisfaction_level_unknown": {
        "detail_zh": "满意度等级“{key}”不在 {names} 之中",
        "detail_en": "level '{key}' is not one of {names}",
        "hint": "改为 {names} 之一。",
    },
    "rule_rating_count_invalid": {
        "detail_zh": "“{key}”的人次应为非负整数",
        "detail_en": "count of '{key}' must be a non-negative integer",
        "hint": "填写人次。",
    },
    "rule_no_ratings": {
        "detail_zh": "没有任何评价记录",
        "detail_en": "no ratings",
        "hint": "至少要有一条评价记录。",
    },
    "spelling_percent_for_unit": {
        "detail_zh": "“{text}”是百分数，但本指标的观测值是{unit}",
        "detail_en": "'{text}' is a percentage, but this indicator is measured in {unit_en}",
        "hint": "填写数值，例如 30；不要加 %。",
    },
    "cell_person_unknown": {
        "detail_zh": "未登记的人员“{token}”",
        "detail_en": "unknown person '{token}'",
        "hint": "写评价人员的姓名或编号，用“、”分隔；已登记：{known}",
    },
    "cell_turned_into_date": {
        "detail_zh": "单元格被表格软件识别成了日期或时间（{text}），不是数值",
        "detail_en": "the spreadsheet turned the entry into a date or time ({text})",
        "hint": "Excel/WPS 会把 9/10 这样的输入变成日期：把单元格格式设为“文本”后重新输入 9/10，或直接写成 0.9、90%。",
    },
    "cell_item_twice": {
        "detail_zh": "“{item}”写了两次",
        "detail_en": "'{item}' is written twice",
        "hint": "每项只写一次。",
    },
    "cell_item_unreadable": {
        "detail_zh": "无法识别“{item}”",
        "detail_en": "cannot read '{item}'",
        "hint": "写成“名称=次数”，用“；”分隔，名称为：{names}",
    },
    "cell_capture_date_invalid": {
        "detail_zh": "采集日期“{text}”无效",
        "detail_en": "capture date '{text}' is invalid",
        "hint": "每行写“路径或网址 | 采集日期 | 说明”，日期写成 2024-11-05。",
    },
    "read_only_several_raters": {"why_zh": "多人评分", "why_en": "several raters"},
    "read_only_from_dataset": {"why_zh": "由数据集计算", "why_en": "computed from a dataset"},
    "sheet_lacks_columns": {
        "detail_zh": "工作表“{title}”缺少列：{missing}",
        "detail_en": "sheet '{title}' lacks columns",
    },
    "value_not_a_choice": {
        "detail_zh": "{what}{shown}不是可选值，只能取 {choices}",
        "detail_en": "{what}must be one of {expected}",
        "hint": "改为 {choices} 之一。",
    },
    "value_out_of_bound": {
        "detail_zh": "{shown}应 {sign} {limit}",
        "detail_en": "must be {sign} {limit}",
        "hint": "改为 {sign} {limit} 的数。",
    },
    "value_pattern_mismatch": {
        "detail_zh": "{shown}格式不对（应匹配 {pattern}）",
        "detail_en": "must match {pattern}",
        "hint": "{pattern_hint}",
    },
    "value_empty": {"detail_zh": "不能为空", "detail_en": "must not be empty", "hint": "至少填写一项。"},
    "value_not_finite": {
        "detail_zh": "{shown}不是有限的数字",
        "detail_en": "must be a finite number",
        "hint": "填写一个普通的数字（不能是 .inf 或 .nan）。",
    },
    "value_not_whole": {
        "detail_zh": "{shown}应为整数，不能有小数",
        "detail_en": "must be a whole number",
        "hint": "去掉小数部分。",
    },
    "value_model_check": {"detail_zh": "{said_zh}", "detail_en": "{said_en}", "hint": "{said_hint}"},
    "value_pydantic": {"detail_zh": "{said}", "detail_en": "{said}", "hint": ""},
    "entry_is_a_file": {
        "detail_zh": "它是文件，不是文件夹",
        "detail_en": "it is a file, not a folder",
        "hint": "{top}/ 中只能放{what_zh}；把这个文件移到别处。",
    },
    "entry_lacks_its_file": {
        "detail_zh": "缺少 {needed}",
        "detail_en": "{needed} is missing",
        "hint": "若这是{what_zh}，恢复或改正 {needed}（误删可用 git checkout -- {path}/{needed}）；若不是，把它移出 {top}/。",
    },
    "entry_lacks_its_file_written_otherwise": {
        "detail_zh": "缺少 {needed}（有 {close}，文件名须为 {needed}）",
        "detail_en": "{needed} is missing",
        "hint": "若这是{what_zh}，恢复或改正 {needed}（误删可用 git checkout -- {path}/{needed}）；若不是，把它移出 {top}/。",
    },
    "condition_too_long": {
        "detail_zh": "条件过长（{length} 个字符，上限 {limit}）",
        "detail_en": "the condition is too long",
    },
    "condition_unparsable": {"detail_zh": "无法解析：{first}", "detail_en": "cannot be parsed: {first}"},
    "condition_not_one_expression": {
        "detail_zh": "应为一个条件表达式，实为 {count} 条语句",
        "detail_en": "must be one expression, found {count}",
    },
    "condition_too_complex": {
        "detail_zh": "条件过于复杂（{nodes} 个节点，上限 {limit}）",
        "detail_en": "the condition is too complex",
    },
    "condition_not_allowed": {
        "detail_zh": "不允许“{name}”（{kind}）：条件只能用比较、AND/OR/NOT、算术、"
        "lower/upper/trim/length/coalesce/abs/date_diff/extract、常量和列名",
        "detail_en": "'{name}' ({kind}) is not allowed in a condition",
    },
    "condition_column_names_table": {
        "detail_zh": "列名“{column}”不能带表名",
        "detail_en": "column '{column}' cannot name a table",
    },
    "condition_not_a_column": {"detail_zh": "“{name}”不是列名", "detail_en": "'{name}' is not a column name"},
    "condition_cast_refused": {
        "detail_zh": "不支持转换为类型 {type}",
        "detail_en": "CAST to {type} is not allowed",
    },
    "stage_base_first": {
        "detail_zh": "第一个阶段应为 base（各维度得分之和）",
        "detail_en": "the first stage must be base",
        "hint": "在 aggregation 开头写 - stage: base。",
    },
    "stage_repeated": {
        "detail_zh": "阶段 {kind} 出现了 {count} 次",
        "detail_en": "stage {kind} appears {count} times",
        "hint": "每种阶段（cap 除外）只写一次。",
    },
    "stage_out_of_order": {
        "detail_zh": "阶段 {kind} 不能排在 {before} 之后",
        "detail_en": "stage {kind} cannot follow {before}",
        "hint": "顺序应为 base → bonus/cap → veto → grade。",
    },
    "stage_condition_unreadable": {
        "detail_zh": "条件“{when}”无法理解",
        "detail_en": "condition '{when}' cannot be read",
        "hint": "写成“base > 80”“base >= 80”“total < 60”之类：base 或 total，比较符，数字。",
    },
    "stage_veto_grade_unknown": {
        "detail_zh": "否决后的等级“{grade}”不是已定义的等级",
        "detail_en": "veto grade '{grade}' is not a defined band",
        "hint": "改为 {known} 之一，或删去 grade（默认最低一档）。",
    },
    "stage_bonus_missing": {
        "detail_zh": "体系有加分项，但没有 bonus 阶段",
        "detail_en": "bonus indicators but no bonus stage",
        "hint": "在 aggregation 中加入 - stage: bonus。",
    },
    "stage_veto_missing": {
        "detail_zh": "体系有否决项，但没有 veto 阶段",
        "detail_en": "veto indicators but no veto stage",
        "hint": "在 aggregation 中加入 - stage: veto。",
    },
    "stage_grade_missing": {
        "detail_zh": "体系定义了等级，但没有 grade 阶段",
        "detail_en": "bands but no grade stage",
        "hint": "在 aggregation 末尾加入 - stage: grade。",
    },
    "stage_grade_without_bands": {
        "detail_zh": "有 grade 阶段，但体系没有定义等级 grades",
        "detail_en": "a grade stage but no bands",
        "hint": "在 system.yaml 中定义 grades，或删去 grade 阶段。",
    },
    "ranking_key_repeated": {
        "detail_zh": "排名依据 {key} 重复",
        "detail_en": "ranking key {key} repeats",
        "hint": "每个排名依据只写一次。",
    },
    "ranking_grade_without_bands": {
        "detail_zh": "体系没有等级，不能按 grade 排名",
        "detail_en": "no bands to rank by grade",
        "hint": "从 ranking 中删去 grade。",
    },
    "rule_weight_not_zero": {
        "detail_zh": "{kind} 指标的 weight 应为 0（实际 {weight}）",
        "detail_en": "{kind} indicators must have weight 0",
        "hint": "否决项和加分项不占分值，把 weight 改为 0。",
    },
    "rule_weight_not_positive": {
        "detail_zh": "计分指标的 weight 应大于 0",
        "detail_en": "scored indicators need a weight above 0",
        "hint": "填写分值。",
    },
    "rule_labels_equal": {
        "detail_zh": "达标与不达标的名称相同",
        "detail_en": "pass and fail labels are equal",
        "hint": "使用两个不同的名称。",
    },
    "rule_item_cap_below_points": {
        "detail_zh": "扣分项 {item} 的上限 {cap:g} 小于单次扣分 {points:g}",
        "detail_en": "cap of {item} is below its points",
        "hint": "上限应不小于单次扣分。",
    },
    "rule_item_cap_over_weight": {
        "detail_zh": "扣分项 {item} 的上限 {cap:g} 超过指标分值 {weight}",
        "detail_en": "cap of {item} exceeds the weight",
        "hint": "上限不应超过本指标分值。",
    },
    "rule_deduction_id_repeated": {
        "detail_zh": "扣分项编号“{name}”重复",
        "detail_en": "duplicate name '{name}'",
        "hint": "名称必须唯一。",
    },
    "rule_bonus_id_repeated": {
        "detail_zh": "加分项编号“{name}”重复",
        "detail_en": "duplicate name '{name}'",
        "hint": "名称必须唯一。",
    },
    "rule_level_name_repeated": {
        "detail_zh": "等级名称“{name}”重复",
        "detail_en": "duplicate name '{name}'",
        "hint": "名称必须唯一。",
    },
    "rule_bonus_uncapped": {
        "detail_zh": "指标体系未设加分上限（bonus_cap 或 bonus 阶段的 cap），加分项无法加分",
        "detail_en": "the system sets no bonus cap",
        "hint": "在 system.yaml 中设置 bonus_cap，或在 aggregation 的 bonus 阶段写 cap。",
    },
    "rule_satisfaction_levels_few": {
        "detail_zh": "满意度至少要有两个等级",
        "detail_en": "needs at least two levels",
        "hint": "列出五级满意度及分值。",
    },
    "rule_satisfaction_points_outside": {
        "detail_zh": "等级 {levels} 的分值超出 0–{scale:g}",
        "detail_en": "level points outside 0..scale",
        "hint": "分值应在 0 到 scale 之间。",
    },
    "rule_level_points_over_weight": {
        "detail_zh": "等级 {levels} 的分值超过指标分值 {weight}",
        "detail_en": "level points exceed the weight",
        "hint": "每档分值不能超过本指标分值。",
    },
    "rule_best_level_not_full": {
        "detail_zh": "最高档分值 {best} 不等于指标分值 {weight}",
        "detail_en": "the best level is not worth the full weight",
        "hint": "最高一档应得满分。",
    },
    "rule_floor_equals_target": {
        "detail_zh": "floor 与 target 相等，无法线性计分",
        "detail_en": "floor equals target",
        "hint": "target 应不同于 floor。",
    },
    "rule_floor_target_out_of_range": {
        "detail_zh": "floor/target 超出 {unit} 的范围 {low}–{high}",
        "detail_en": "floor/target out of range",
        "hint": "比例用 0–1，百分比用 0–100。",
    },
    "band_top_has_max": {
        "detail_zh": "最高档“{band}”不应设 max",
        "detail_en": "top band '{band}' must have no max",
    },
    "band_max_not_above_min": {
        "detail_zh": "“{band}”的 max 不大于 min",
        "detail_en": "band '{band}' has max ≤ min",
    },
    "band_lowest_not_from_zero": {
        "detail_zh": "最低档“{band}”应从 0 开始",
        "detail_en": "the lowest band must start at 0",
    },
    "band_lowest_excludes_zero": {
        "detail_zh": "最低档“{band}”不包含 0，0 分不属于任何等级",
        "detail_en": "the lowest band excludes 0, so a score of 0 has no grade",
    },
    "band_lower_has_no_max": {
        "detail_zh": "“{lower}”缺少上限 max（应为 {bound:g}）",
        "detail_en": "band '{lower}' has no max (expected {bound:g})",
    },
    "band_overlap": {
        "detail_zh": "“{band}”的下限 {bound:g} 与“{lower}”的上限 {max:g} 之间有重叠",
        "detail_en": "overlap between '{band}' ({bound:g}) and '{lower}' (max {max:g})",
    },
    "band_gap": {
        "detail_zh": "“{band}”的下限 {bound:g} 与“{lower}”的上限 {max:g} 之间有缺口",
        "detail_en": "gap between '{band}' ({bound:g}) and '{lower}' (max {max:g})",
    },
    "band_bound_in_both": {
        "detail_zh": "{bound:g} 分同时属于“{band}”和“{lower}”（两档都包含这一边界）",
        "detail_en": "a score of {bound:g} falls in both '{band}' and '{lower}' (both include it)",
    },
    "band_bound_in_neither": {
        "detail_zh": "{bound:g} 分不属于“{band}”也不属于“{lower}”（两档都不包含这一边界）",
        "detail_en": "a score of {bound:g} is in neither '{band}' nor '{lower}' (both exclude it)",
    },
    "dataset_format_unsupported": {
        "detail_zh": "不支持的格式 {suffix}：只支持 CSV、XLSX 和 Parquet",
        "detail_en": "unsupported format {suffix}: only CSV, XLSX and Parquet",
    },
    "dataset_no_suffix": {
        "detail_zh": "不支持的格式 （无扩展名）：只支持 CSV、XLSX 和 Parquet",
        "detail_en": "unsupported format (none): only CSV, XLSX and Parquet",
    },
    "dataset_header_too_long": {"detail_zh": "表头行过长", "detail_en": "the header line is too long"},
    "dataset_not_utf8": {"detail_zh": "不是 UTF-8 编码（请用 UTF-8 另存 CSV）", "detail_en": "not UTF-8"},
    "dataset_no_header": {"detail_zh": "缺少表头（第一行应为列名）", "detail_en": "no header line"},
    "dataset_header_repeats": {
        "detail_zh": "表头中有重复的列名",
        "detail_en": "the header repeats a column name",
    },
    "dataset_not_parquet": {"detail_zh": "不是有效的 Parquet 文件", "detail_en": "not a Parquet file"},
    "dataset_fields_differ": {
        "detail_zh": "这一行的列数与表头不同",
        "detail_en": "this line has another number of fields",
    },
    "dataset_fields_more": {
        "detail_zh": "这一行的列数多于表头",
        "detail_en": "this line has more fields than the header",
    },
    "dataset_fields_fewer": {
        "detail_zh": "这一行的列数少于表头",
        "detail_en": "this line has fewer fields than the header",
    },
    "dataset_quote_open": {
        "detail_zh": "这一行的引号没有闭合",
        "detail_en": "a quote on this line is not closed",
    },
    "dataset_malformed": {"detail_zh": "文件格式有误（{kind}）", "detail_en": "malformed file ({kind})"},
    "dataset_xlsx_refused": {"detail_zh": "{said_zh}", "detail_en": "{said_en}"},
    "dataset_xlsx_invalid": {
        "detail_zh": "不是有效的 XLSX 文件（{kind}）",
        "detail_en": "not a valid XLSX file",
    },
    "dataset_cell_formula": {
        "detail_zh": "单元格 {cell} 是公式；请把公式转换为数值（复制后“选择性粘贴 → 数值”）",
        "detail_en": "cell {cell} holds a formula",
    },
    "measure_value_not_converted": {
        "detail_zh": "数据的类型与条件不符（例如把文字当作数字或日期）",
        "detail_en": "a value does not convert to the type the condition needs",
    },
    "measure_types_compared": {
        "detail_zh": "条件中的类型不匹配（例如拿日期列与数字比较）",
        "detail_en": "the condition compares values of different types",
    },
    "measure_out_of_range": {"detail_zh": "计算结果超出范围", "detail_en": "a result is out of range"},
    "measure_failed": {"detail_zh": "执行出错（{kind}）", "detail_en": "failed ({kind})"},
    "who_body": {"who": "评价机构“{body}”", "who_en": "evaluation body '{body}'"},
    "who_person": {"who": "{group} {name}（{id}）", "who_en": "{group_en} {name} ({id})"},
    "who_evaluator": {
        "who": "指标 {indicator} 的评价人员 {name}（{id}，{group}）",
        "who_en": "evaluator of {indicator} {name} ({id}, {group_en})",
    },
    "who_rater": {
        "who": "指标 {indicator} 的评分人 {name}（{id}，{group}）",
        "who_en": "rater of {indicator} {name} ({id}, {group_en})",
    },
    "body_is_evaluated": {"why": "就是被评价方", "why_en": "is the evaluated party itself"},
    "person_is_evaluated": {
        "why": "所在单位“{org}”就是被评价方",
        "why_en": "works for '{org}', the evaluated party itself",
    },
    "body_under_evaluated": {
        "why": "是被评价方“{party}”的下属单位（{path}）",
        "why_en": "is a unit of the evaluated party '{party}' ({path})",
    },
    "person_under_evaluated": {
        "why": "所在单位“{org}”是被评价方“{party}”的下属单位（{path}）",
        "why_en": "works for '{org}', a unit of the evaluated party '{party}' ({path})",
    },
    "body_above_evaluated": {
        "why": "是被评价方“{party}”的上级单位（{path}）",
        "why_en": "is a superior of the evaluated party '{party}' ({path})",
    },
    "person_above_evaluated": {
        "why": "所在单位“{org}”是被评价方“{party}”的上级单位（{path}）",
        "why_en": "works for '{org}', a superior of the evaluated party '{party}' ({path})",
    },
    "person_is_commissioner": {
        "why": "所在单位“{org}”就是委托方",
        "why_en": "works for '{org}', the commissioning party itself",
    },
    "person_within_commissioner": {
        "why": "所在单位“{org}”属于委托方“{party}”（{path}）",
        "why_en": "works for '{org}', part of the commissioning party '{party}' ({path})",
    },
    "organisation_unit_of_listed": {
        "suggestion_zh": "（若为“{listed}”的内设或下属单位，请登记并写明 parent: {listed_id}）",
        "suggestion_en": " (if a unit of '{listed}', list it with parent: {listed_id})",
    },
    "previous_is_itself": {
        "detail_zh": "指向本次评价自己",
        "detail_en": "is this evaluation itself",
        "hint": "写上一次（更早）评价的编号，或删除 previous。",
    },
    "previous_missing": {
        "detail_zh": "不存在（evaluations/ 下没有这个评价）{close_zh}",
        "detail_en": "does not exist{close_en}",
        "hint": "改成 evaluations/ 下已有评价的编号；上次评价的文件夹若被删除或改名，请恢复。",
    },
    "previous_other_party": {
        "detail_zh": "的被评价方是“{party}”，与本次不同",
        "detail_en": "evaluates another party",
        "hint": "previous 只能指向同一被评价方的上一次评价。",
    },
    "previous_not_earlier": {
        "detail_zh": "的评价期（至 {end}）不早于本次（自 {start}）",
        "detail_en": "does not end before this one starts",
        "hint": "previous 只能指向评价期更早的评价。",
    },
    "record_field": {"what": "{label}", "what_en": "{name}", "hint": "填写 {name}（§8.2）。"},
    "record_places": {
        "what": "评价地点（places）",
        "what_en": "places",
        "hint": "在 places 中列出现场评价地点（§8.2）。",
    },
    "record_schedule": {
        "what": "日程安排（schedule）",
        "what_en": "a schedule",
        "hint": "在 schedule 中列出日程（§8.2）。",
    },
    "record_confidentiality": {
        "what": "保密和信息安全措施（plan.confidentiality）",
        "what_en": "confidentiality measures",
        "hint": "在评价方案中写明保密要求和信息安全措施（§8.2）。",
    },
    "record_duties": {
        "what": "{name}的分工（duties）",
        "what_en": "duties of {id}",
        "hint": "为工作组每位成员写明分工（§8.2）。",
    },
    "record_sampling": {
        "what": "样本及电子材料的抽取记录（sampling）",
        "what_en": "sampling records",
        "hint": "用 zwpj sample 从抽样框抽取样本并记录（§8.2）。",
    },
    "record_system_adopted": {
        "what": "确定指标体系的日期（system.adopted）",
        "what_en": "system.adopted",
        "hint": "在 system 中写明 adopted: 确定本次评价所用指标体系的日期（§8.1）。",
    },
    "record_system_record": {
        "what": "建立评价指标体系的记录（system.record）",
        "what_en": "system.record",
        "hint": "把指标体系适用性确认记录（适用与不适用的指标、调整及理由，§8.3）放入评价文件夹，"
        "在 system.record 中填写路径。",
    },
    "record_activity": {
        "what": "“{kind}”的活动记录（{where}要求）",
        "what_en": "a record of {kind}",
        "hint": "在 activities 中添加 kind: {kind} 的记录；"
        "不开展的活动，在评价方案的 plan.activities 中列出实际安排的活动（§8.4“一般包括但不限于”）。",
    },
    "record_activity_written_otherwise": {
        "what": "“{kind}”的活动记录（{where}要求）",
        "what_en": "a record of {kind}",
        "hint": "在 activities 中添加 kind: {kind} 的记录（已记录的“{close}”是否是它的笔误？）；"
        "不开展的活动，在评价方案的 plan.activities 中列出实际安排的活动（§8.4“一般包括但不限于”）。",
    },
    "record_attendees": {
        "what": "{kind}的参加人员（attendees）",
        "what_en": "attendees of {kind}",
        "hint": "列出参加会议人员的编号。",
    },
    "record_minutes": {
        "what": "{kind}纪要（minutes）",
        "what_en": "minutes of {kind}",
        "hint": "把会议纪要放入评价文件夹，并在 minutes 中填写路径。",
    },
    "record_narrative": {
        "what": "{name}.md",
        "what_en": "{name}.md",
        "hint": "在评价文件夹中撰写 {name}.md（§8.5.1）。",
    },
    "record_submission": {
        "what": "报告提交记录（submission）",
        "what_en": "a submission record",
        "hint": "填写 submission 的 date 和 to（§8.5.2）。",
    },
    "late_objection": {"what": "异议 {id}", "what_en": "objection {id}"},
    "late_confirmation": {"what": "确认", "what_en": "the confirmation"},
    "late_no_confirmation": {
        "what": "被评价方尚未确认或反馈，截至日",
        "what_en": "still no confirmation as of",
    },
    "objection_rejected_with_changes": {
        "detail_zh": "不采纳的异议不应有评分变更",
        "detail_en": "a rejected objection changes no score",
        "hint": "删去 changes，或把 decision 改为 采纳。",
    },
    "objection_accepted_without_changes": {
        "detail_zh": "采纳的异议须在 changes 中记录评分变更（指标、调整前、调整后）",
        "detail_en": "an accepted objection must record its score changes",
        "hint": "添加 changes: [{{indicator: 编号, before: 原观测值, after: 新观测值}}]。",
    },
    "objection_change_not_objected": {
        "detail_zh": "变更的指标 {id} 不在异议所涉指标中",
        "detail_en": "changed indicator {id} is not objected to",
        "hint": "把该指标加入异议的 indicators。",
    },
    "objection_change_unchanged": {
        "detail_zh": "指标 {id} 调整前后相同",
        "detail_en": "before equals after",
        "hint": "删去这条变更，或改正调整前后的值。",
    },
    "weight_too_many_digits": {
        "detail_zh": "“{text}”位数过多（最多 {limit} 位）",
        "detail_en": "'{text}' has too many digits",
    },
    "weight_negative": {"detail_zh": "分值 {value} 不能为负", "detail_en": "weight {value} is negative"},
    "weight_divides_by_zero": {
        "detail_zh": "分数“{value}”的分母为 0",
        "detail_en": "fraction '{value}' divides by 0",
    },
    "weight_percentage_over_100": {
        "detail_zh": "百分比“{value}”超过 100%",
        "detail_en": "percentage '{value}' exceeds 100%",
    },
    "weight_unreadable": {
        "detail_zh": "“{value}”不是数字、分数（如 1/86）或百分比（如 25%）",
        "detail_en": "'{value}' is not a number, a fraction (1/86) or a percentage (25%)",
    },
    "xlsx_not_zip": {
        "detail_zh": "不是有效的 XLSX 文件（无法作为 zip 读取）",
        "detail_en": "not an XLSX (zip) file",
    },
    "xlsx_too_many_parts": {
        "detail_zh": "XLSX 中的部件过多（{parts} 个，上限 {limit}）",
        "detail_en": "too many parts ({parts})",
    },
    "xlsx_unpacks_too_large": {
        "detail_zh": "XLSX 解压后过大（声明 {mb}，上限 {limit_mb}），可能是压缩炸弹",
        "detail_en": "declares {size} bytes unpacked, more than {limit}",
    },
    "xlsx_part_too_large": {
        "detail_zh": "XLSX 部件 {part} 解压后过大（{mb}）",
        "detail_en": "part {part} is too large",
    },
    "xlsx_part_packed_tight": {
        "detail_zh": "XLSX 部件 {part} 的压缩比异常（{ratio} 倍），可能是压缩炸弹",
        "detail_en": "part {part} is packed {ratio} times",
    },
    "xlsx_damaged": {
        "detail_zh": "XLSX 文件已损坏或不是工作簿（{kind}）",
        "detail_en": "damaged workbook ({kind})",
    },
    "path_is_repository": {
        "detail_zh": "{what}不能是仓库根目录或其上级文件夹：{path}",
        "detail_en": "the {what} cannot be the repository or a folder above it",
    },
    "path_inside_input": {
        "detail_zh": "{what}不能放在仓库的 {folder}/ 中：{path}",
        "detail_en": "the {what} cannot be inside {folder}/",
    },
    "path_is_symlink": {
        "detail_zh": "{what}不能是符号链接：{path}",
        "detail_en": "the {what} cannot be a symbolic link",
    },
    "path_not_a_folder": {
        "detail_zh": "{what}已存在且不是文件夹：{path}",
        "detail_en": "the {what} exists and is not a folder",
    },
    "path_not_made_by_build": {
        "detail_zh": "{what} {path} 不是 zwpj build 生成的文件夹（缺少 {marker}），为免误删，拒绝替换；"
        "请换一个文件夹，或确认无用后自行删除",
        "detail_en": "{path} was not made by zwpj build (no {marker}); refusing to replace it",
    },
    "path_output_inside_input": {
        "detail_zh": "{what}不能写在仓库的 {folder}/ 中（会覆盖或混入评价内容）：{path}",
        "detail_en": "the {what} cannot be written inside {folder}/",
    },
    "path_internal_not_a_folder": {
        "detail_zh": "内部版目录已存在且不是文件夹：{path}",
        "detail_en": "the internal edition's folder exists and is not a folder",
    },
    "path_output_is_folder": {
        "detail_zh": "{what}是一个已有的文件夹：{path}",
        "detail_en": "the {what} is an existing folder",
    },
    "not_published_evidence_link": {
        "detail_zh": "证据文件中的相对链接不发布",
        "detail_en": "relative links in evidence files are not published",
    },
    "not_published_outside": {"detail_zh": "在评价文件夹之外", "detail_en": "outside the evaluation folder"},
    "not_published_missing": {"detail_zh": "文件不存在", "detail_en": "no such file"},
    "not_published_internal": {
        "detail_zh": "内部文件或评价记录本身",
        "detail_en": "an internal file or a record of the evaluation itself",
    },
    "not_published_type": {
        "detail_zh": "不发布 {suffix} 类型的文件",
        "detail_en": "files of type {suffix} are not published",
    },
    "not_published_no_suffix": {
        "detail_zh": "不发布 无扩展名 类型的文件",
        "detail_en": "files of type (none) are not published",
    },
    "not_shown_image_type": {
        "detail_zh": "只能显示 PNG、JPEG、GIF 图片",
        "detail_en": "only PNG, JPEG and GIF images are shown",
    },
    "not_shown_image_size": {
        "detail_zh": "图片超过 {mb} MB",
        "detail_en": "the image is larger than {mb} MB",
    },
    "sample_no_column": {
        "detail_zh": "抽样框没有列“{name}”（现有列：{columns}）",
        "detail_en": "the frame has no column '{name}'",
        "hint": "检查 key / by 的列名与表头是否一致。",
    },
    "sample_frame_too_large": {
        "detail_zh": "抽样框过大（{size} 字节，上限 {limit}）",
        "detail_en": "the frame is too large",
        "hint": "只保留抽样所需的列和行。",
    },
    "sample_frame_not_utf8": {
        "detail_zh": "抽样框不是 UTF-8 编码",
        "detail_en": "the frame is not UTF-8",
        "hint": "以 UTF-8 编码另存 CSV。",
    },
    "sample_frame_format": {
        "detail_zh": "不支持的抽样框格式 {suffix}",
        "detail_en": "unsupported frame format {suffix}",
        "hint": "使用 CSV 或 XLSX。",
    },
    "sample_frame_empty": {
        "detail_zh": "抽样框为空",
        "detail_en": "the frame is empty",
        "hint": "第一行为表头，其后每行一个抽样单元。",
    },
    "sample_frame_xlsx_refused": {
        "detail_zh": "无法读取 XLSX：{said_zh}",
        "detail_en": "cannot read XLSX: {said_en}",
        "hint": "用表格软件重新另存为 XLSX。",
    },
    "sample_frame_formula": {
        "detail_zh": "抽样框单元格 {cell} 是公式",
        "detail_en": "cell {cell} of the frame holds a formula",
        "hint": "把公式转换为数值（复制后“选择性粘贴 → 数值”）后再抽样。",
    },
    "sample_frame_xlsx_damaged": {
        "detail_zh": "XLSX 文件已损坏（{kind}）",
        "detail_en": "damaged XLSX file",
        "hint": "用表格软件重新另存为 XLSX。",
    },
    "sample_key_not_unique": {
        "detail_zh": "键列“{key}”的值不唯一或为空：{shown}",
        "detail_en": "key column '{key}' has duplicate or empty values",
        "hint": "选一个能唯一标识每一行的列作 key（如事项编码）。",
    },
    "sample_size_over_rows": {
        "detail_zh": "样本量 {size} 超过抽样框行数 {rows}",
        "detail_en": "size {size} exceeds the {rows} rows",
        "hint": "减小样本量。",
    },
    "sample_stratified_without_by": {
        "detail_zh": "分层抽样须指定分层列（by）",
        "detail_en": "a stratified draw needs a 'by' column",
        "hint": "例如 --by 部门。",
    },
    "sample_frame_outside_folder": {
        "detail_zh": "抽样框须放在评价文件夹内",
        "detail_en": "the frame must be inside the evaluation folder",
        "hint": "把文件复制到 {folder}/ 下（例如 {folder}/sampling/），再抽样。",
    },
    "sample_evaluation_unparsed": {
        "detail_zh": "evaluation.yaml 有格式错误，无法写入抽样记录",
        "detail_en": "evaluation.yaml does not parse",
        "hint": "先运行 zwpj check {folder} 并修正。",
    },
    "sample_record_without_by": {
        "detail_zh": "分层抽样缺少分层列 by",
        "detail_en": "stratified without 'by'",
        "hint": "填写 by（分层所依据的列）。",
    },
    "rectification_closed_without_done": {
        "detail_zh": "状态为“{status}”，缺少完成日期 done",
        "detail_en": "closed without a done date",
        "hint": "填写 done。",
    },
    "rectification_verified_without_record": {
        "detail_zh": "状态为“已验证”，缺少验证记录 verification",
        "detail_en": "verified without a verification record",
        "hint": "填写 verification 的 by、date、how。",
    },
    "rectification_record_not_verified": {
        "detail_zh": "已有验证记录，但状态为“{status}”",
        "detail_en": "verification recorded but status is not 已验证",
        "hint": "把 status 改为 已验证，或删去 verification。",
    },
    "rectification_verified_before_done": {
        "detail_zh": "验证日期早于完成日期",
        "detail_en": "verified before done",
        "hint": "核对日期。",
    },
    "rectification_evaluation_unknown": {
        "detail_zh": "验证所在的评价“{name}”不存在",
        "detail_en": "evaluation '{name}' not found",
        "hint": "填写仓库中已有的评价编号。",
    },
    "style_placeholder_unknown": {
        "detail_zh": "未知的占位符 {{{name}}}，可用：{known}",
        "detail_en": "unknown placeholder {{{name}}}",
    },
    "style_part_unknown": {
        "detail_zh": "未知的部分“{part}”，可用：{known}",
        "detail_en": "unknown part '{part}'",
    },
    "style_part_repeated": {
        "detail_zh": "部分“{part}”出现了 {times} 次",
        "detail_en": "part '{part}' appears {times} times",
    },
    "style_item_left_out": {
        "detail_zh": "缺少 §8.5.1 规定的内容“{item}”",
        "detail_en": "leaves out §8.5.1 item '{item}'",
    },
    "publishing_group_repeated": {
        "detail_zh": "分组名称“{name}”出现了 {count} 次，同名的分组会被合成一个排名",
        "detail_en": "group name '{name}' appears {count} times",
        "hint": "给每个分组取不同的名称。",
    },
    "spelling_same_item": {
        "detail_zh": "“{key}”与前面的写法指同一项（{item}）",
        "detail_en": "'{key}' names the same item as an earlier key ({item})",
        "hint": "每项只写一次。",
    },
    "internal_out_published_inside": {
        "why_zh": "它位于 {folder}/ 之中，会被发布（站点或生成站点的页面）",
        "why_en": "it lies inside {folder}/, which is published (the site or the pages it is made from)",
    },
    "internal_out_published_holding": {
        "why_zh": "它包含 {folder}/，会被发布（站点或生成站点的页面）",
        "why_en": "it holds {folder}/, which is published (the site or the pages it is made from)",
    },
    "internal_out_docs_inside": {
        "why_zh": "它位于 {folder}/ 之中，那是仓库的文档",
        "why_en": "it lies inside {folder}/, the repository's documentation",
    },
    "internal_out_docs_holding": {
        "why_zh": "它包含 {folder}/，那是仓库的文档",
        "why_en": "it holds {folder}/, the repository's documentation",
    },
    "internal_out_input_inside": {
        "why_zh": "它位于 {folder}/ 之中，那是仓库的输入",
        "why_en": "it lies inside {folder}/, an input of the repository",
    },
    "internal_out_input_holding": {
        "why_zh": "它包含 {folder}/，那是仓库的输入",
        "why_en": "it holds {folder}/, an input of the repository",
    },
    "internal_out_repository": {
        "why_zh": "它是仓库本身或其上级文件夹",
        "why_en": "it is the repository or a folder above it",
    },
    "internal_out_outside": {"why_zh": "它在仓库之外", "why_en": "it lies outside the repository"},
    "internal_out_symlink": {
        "why_zh": "路径中的“{link}”是符号链接",
        "why_en": "'{link}' on the way is a symbolic link",
    },
    "drawn_extra": {"detail_zh": "多出 {extra_zh}", "detail_en": "extra {extra_en}"},
    "drawn_extra_and_missing": {
        "detail_zh": "多出 {extra_zh}；缺少 {lacking_zh}",
        "detail_en": "extra {extra_en}; missing {lacking_en}",
    },
    "drawn_missing": {"detail_zh": "缺少 {lacking_zh}", "detail_en": "missing {lacking_en}"},
    "drawn_order_or_repeats": {
        "detail_zh": "顺序或重复与重新抽取的结果不同（应按键排序、不重复）",
        "detail_en": "order or repeats differ (keys sorted, no repeats)",
    },
    "duplicate_organisation_id": {
        "detail_zh": "单位 id“{id}”重复（第一次在第 {line} 行）",
        "detail_en": "duplicate organisation id '{id}' (first at line {line})",
        "hint": "每个单位的 id 只能登记一次。",
    },
    "evidence_capture_date": {"what": "证据采集", "what_en": "evidence capture"},
    "activity_date": {"what_en": "activity"},
    "body_already_has_records_in": {
        "detail_en": "body '{organisation}' already has records in {first}",
        "detail_zh": "评价机构“{organisation}”已有记录 {first}",
        "hint": "每个评价机构只保留一份 body.yaml。",
    },
    "body_organisation_not_organisation_id": {
        "detail_en": "body organisation '{organisation}' is not an organisation id{en}",
        "detail_zh": "评价机构的 organisation“{organisation}”不是已登记单位的 id{zh}",
        "hint": "organisation 写评价机构在 organisations.yaml 中的 id。",
    },
    "body_record_field": {"hint": "在 {rel} 中填写 {key}（系统要求见指标体系的 body_requirements）。"},
    "broken_link": {"kind_en": "a broken link", "kind_zh": "失效的符号链接"},
    "closing_meeting_comes_before_starts": {
        "detail_en": "the closing meeting comes before {kind} starts",
        "detail_zh": "末次会议（{value}）早于{kind}开始（{date}）",
        "hint": "末次会议在评价意见形成之后举行（§8.4）。",
    },
    "comes_before_opening_meeting": {
        "detail_en": "{kind} comes before the opening meeting",
        "detail_zh": "{kind}（{date}）早于首次会议（{value}）",
        "hint": "首次会议应在其他评价活动之前举行（§8.4）。",
    },
    "confirmation_field": {
        "hint": "写明被评价方由谁、在哪天确认了评价结果。",
        "what_en": "confirmation.{name}",
    },
    "confirmation_record": {
        "hint": "填写 confirmation 的 status、by、date（§8.5.3）。",
        "what": "确认或异议记录（confirmation）",
        "what_en": "a confirmation record",
    },
    "confirmed_before_report_was_submitted": {
        "detail_en": "confirmed before the report was submitted",
        "detail_zh": "确认日期早于报告提交日期",
    },
    "control_character": {"problem_zh": "文件中有不可见的控制字符 #x{character:04x}"},
    "data_period_ends_before_starts": {
        "detail_en": "data period ends {end} before it starts {start}",
        "detail_zh": "统计期结束 {end} 早于开始 {start}",
    },
    "does_not_state": {
        "hint": "在 system.yaml 中写明 {key}（§8.3）。",
        "what": "未写明{label}",
        "what_en": "does not state its {key}",
    },
    "ends_before_starts": {
        "detail_en": "'{item}' ends before it starts",
        "detail_zh": "“{item}”结束早于开始",
    },
    "ends_before_starts_2": {"detail_en": "{kind} ends before it starts", "detail_zh": "{kind}结束早于开始"},
    "evaluated_party_confirms_not": {
        "detail_en": "the evaluated party '{name}' confirms, not '{name2}'{en}",
        "detail_zh": "评价结果应由被评价方“{name}”确认，但确认方是“{name2}”{zh}",
        "hint": "被评价方对评价结果确认或提出反馈意见（§8.5.3）：confirmation.by 写被评价方及确认人，例如 某某局（张三）。",
    },
    "expected": {"detail_en": "expected {value2}", "detail_zh": "应为{value}", "hint": "把它写成{value}。"},
    "folder": {"kind_en": "a folder", "kind_zh": "文件夹"},
    "named_pipe": {"kind_zh": "命名管道", "kind_en": "a named pipe"},
    "character_device": {"kind_zh": "字符设备", "kind_en": "a character device"},
    "block_device": {"kind_zh": "块设备", "kind_en": "a block device"},
    "socket": {"kind_zh": "套接字", "kind_en": "a socket"},
    "format_tag": {"detail_en": "format tag is '{value}'", "detail_zh": "格式标记为“{value}”"},
    "has_children_and_must_not": {
        "detail_en": "has children and must not have a rule",
        "detail_zh": "有下级指标，不应再有 rule",
    },
    "hidden_sheet_missing": {
        "detail_en": "hidden sheet '{meta_sheet}' is missing",
        "detail_zh": "缺少隐藏的工作表“{meta_sheet}”",
    },
    "indicator_system_established_after_first": {
        "detail_en": "the indicator system is established after the first activity ({kind})",
        "detail_zh": "确定指标体系（{adopted}）晚于第一项评价活动{kind}（{date}）",
        "hint": "建立评价指标体系在实施评价之前（§8.1）。",
    },
    "indicator_system_established_before_plan": {
        "detail_en": "the indicator system is established before the plan is approved",
        "detail_zh": "确定指标体系（{adopted}）早于评价方案批准（{approved}）",
        "hint": "评价准备（含编制评价方案）在建立评价指标体系之前（§8.1）。",
    },
    "leaf_has_no_children_split": {
        "detail_en": "a leaf has no children to split among",
        "detail_zh": "末级指标没有下级，不能写 split",
    },
    "leaf_lacks": {
        "hint": "为每个末级指标写明所需的信息资源、采集方法和应保留的证据（§8.3）。",
        "what": "末级指标“{id}”未写明{value}",
        "what_en": "leaf '{id}' lacks {value2}",
    },
    "leaf_without_scoring_rule": {
        "detail_en": "is a leaf without a scoring rule",
        "detail_zh": "是末级指标，缺少计分规则 rule",
    },
    "looping_link": {"kind_en": "a looping link", "kind_zh": "循环的符号链接"},
    "name_already_names": {
        "detail_en": "name '{name}' already names '{owner}'",
        "detail_zh": "名称“{name}”已是“{owner}”的名称或别名，无法区分",
        "hint": "同一名称只能指一个单位：改正名称或删去重复的别名。",
    },
    "narrative_file": {"what": "“{name}.md”", "what_en": "{name}.md"},
    "placeholder_field": {"what": "{field}（{dotted}）", "what_en": "{dotted}"},
    "placeholder_score_field": {"what": "{dotted}", "what_en": "{dotted}"},
    "null_value": {"found_zh": "空值（null）"},
    "objection_answered_before_raised": {
        "detail_en": "objection {id} answered before raised",
        "detail_zh": "异议 {id} 的答复早于提出日期",
    },
    "objection_record": {"what": "异议", "what_en": "objection"},
    "objections": {
        "hint": "逐条记录异议，每条关联指标编号。",
        "what": "异议内容（confirmation.objections）",
        "what_en": "the objections",
    },
    "parent_not_listed": {
        "detail_en": "parent '{parent}' of '{name}' is not listed{en}",
        "detail_zh": "“{name}”的上级单位“{parent}”未登记{zh}",
        "hint": "parent 写已登记单位的 id。",
    },
    "parent_splits_equally_split_equal": {
        "detail_en": "its parent splits equally (split: equal), so it must not set a weight",
        "detail_zh": "上级为 split: equal（均分），下级不应再写 weight",
    },
    "parents_form_cycle": {
        "detail_en": "parents form a cycle: {value2}",
        "detail_zh": "上下级关系成环：{value}",
        "hint": "每个单位的上级链最终应止于一个没有 parent 的单位。",
    },
    "percentage_needs_parent_weight_which": {
        "detail_en": "percentage '{written}' needs the parent's weight, which is not written",
        "detail_zh": "百分比“{written}”需要上级写明分值（上级未写 weight，其分值由下级相加而来）",
    },
    "period_ends_before_starts": {
        "detail_en": "period ends {end} before it starts {start}",
        "detail_zh": "评价期结束 {end} 早于开始 {start}",
    },
    "plan_approved_after_period_ends": {
        "detail_en": "the plan is approved after the period ends",
        "detail_zh": "评价方案批准日期晚于评价期结束",
    },
    "published_before_report_was_submitted": {
        "detail_en": "published before the report was submitted",
        "detail_zh": "发布日期早于报告提交日期",
        "hint": "核对日期。",
    },
    "published_date": {
        "hint": "填写结果发布日期 published。",
        "what": "发布日期（published）",
        "what_en": "published",
    },
    "records_bodies_body_yaml": {
        "hint": "建立 {bodies_dir}/<文件夹>/body.yaml，写明 organisation: {id}、{wanted}，以及 staff（人员的资质和培训，§5.2）。",
        "what": "机构记录（{bodies_dir}/…/body.yaml）",
        "what_en": "its records (bodies/…/body.yaml)",
    },
    "rectification_item": {"what": "整改项", "what_en": "rectification item"},
    "report_due_before_period_starts": {
        "detail_en": "the report is due before the period starts",
        "detail_zh": "报告提交期限早于评价期开始",
    },
    "report_must_come_from_evaluation": {
        "detail_en": "the report must come from the evaluation body '{name}', not '{name2}'{en}",
        "detail_zh": "报告应由评价机构“{name}”提交，但提交方是“{name2}”{zh}",
        "hint": "submission.by 写评价机构（或删去，默认即评价机构）。",
    },
    "report_must_go_commissioner_not": {
        "detail_en": "the report must go to the commissioner '{name}', not '{name2}'{en}",
        "detail_zh": "报告应提交委托方“{name}”，但接收方是“{name2}”{zh}",
        "hint": "评价主体按评价方案规定的时间向委托方提交评价报告（§8.5.2）：submission.to 写委托方或其内设机构。",
    },
    "report_number": {
        "hint": "填写评价报告的编号 report_number，报告封面和站点据此标识报告。",
        "what": "报告编号（report_number）",
        "what_en": "report_number",
    },
    "report_submitted_before_draft": {
        "detail_en": "the report is submitted before its draft",
        "detail_zh": "报告提交（{date}）早于评价初稿（{value}）",
        "hint": "核对日期。",
    },
    "report_submitted_before_period_starts": {
        "detail_en": "the report is submitted before the period starts",
        "detail_zh": "报告提交日期早于评价期开始",
    },
    "repository_has_no_organisations_yaml": {
        "detail_en": "the repository has no organisations.yaml",
        "detail_zh": "仓库根目录没有 organisations.yaml，评价中出现的单位无从判断隶属关系",
        "hint": "在仓库根目录建立 organisations.yaml，登记被评价方、委托方、评价机构和人员所在单位（§4.1）。",
    },
    "sample_record": {"what": "抽样记录", "what_en": "sample"},
    "schedule_date": {"what": "日程“{item}”", "what_en": "schedule"},
    "sheet_missing": {"detail_en": "sheet '{title}' is missing", "detail_zh": "缺少工作表“{title}”"},
    "sheet_value_problem": {"detail_en": "{where}: {value}", "detail_zh": "{where}：{zh}"},
    "staff_record_body_not": {
        "detail_en": "staff record {id} of the body is '{name}', not '{name2}'",
        "detail_zh": "评价机构人员记录中 {id} 是“{name}”，本评价写的是“{name2}”",
        "hint": "人员编号须与评价机构 body.yaml 中 staff 的编号一致。",
    },
    "still_marked_as_sample": {
        "hint": "示例体系不能作为正式体系使用：换用正式版本，或把 status 改为 草案。",
        "what": "仍标为示例（sample: true）",
        "what_en": "is still marked as a sample",
    },
    "strata_should_be": {"detail_en": "strata should be {strata}", "detail_zh": "各层样本量应为 {shown}"},
    "structure_lacks_indicator": {"what": "structure 中没有 {key2}"},
    "team_leader_team_member_whose": {
        "hint": "在 team 中指定一名组长，明确分工（§8.2）。",
        "what": "评价工作组组长（team 中 role 含“组长”）",
        "what_en": "a team leader (a team member whose role contains 组长)",
    },
    "works_for_not_party": {
        "detail_en": "{person} ({id}) works for '{name}'{en}, not the party",
        "detail_zh": "确认人 {person}（{id}）{unit}，不是被评价方的人员",
        "hint": "确认人应是被评价方的人员。",
    },
}
"""Variant name → wording field of the message (``detail_zh``, ``what_en``, ``hint`` …) → its template."""

BODY_RECORD_NAMES: dict[str, tuple[str, str]] = {
    "posts": ("评价岗位及其职责（posts）", "evaluation posts and duties (posts)"),
    "mechanism": ("服务评价工作机制（mechanism）", "a work mechanism (mechanism)"),
    "work_plan": ("工作计划（work_plan）", "a work plan (work_plan)"),
    "rules": ("管理制度（rules）", "management rules (rules)"),
    "scope": ("明确的评价对象和范围（scope）", "defined evaluation objects and scope (scope)"),
    "reward_penalty": (
        "内部奖惩机制（reward_penalty）",
        "an internal reward and penalty mechanism (reward_penalty)",
    ),
}
"""§5.1.2's records: key in body.yaml → (Chinese, English)."""

STAFF_RECORD_NAMES: dict[str, tuple[str, str]] = {
    "training": ("培训", "training"),
    "qualifications": ("资质", "qualifications"),
}
"""§5.2's staff records."""

FOLDER_KINDS: dict[str, tuple[str, str]] = {
    "evaluations": ("评价文件夹", "an evaluation folder"),
    "indicators": ("指标体系文件夹", "an indicator system folder"),
    "bodies": ("评价机构档案文件夹", "an evaluation body's folder"),
}
"""What an entry of a top folder of the repository is (E109): folder → (Chinese, English)."""

PERSON_GROUPS: dict[str, tuple[str, str]] = {
    "team": ("工作组成员", "team member"),
    "experts": ("评审专家", "expert"),
    "party_staff": ("被评价方人员", "party staff"),
}
"""The groups of people an evaluation names: key → (Chinese, English), as messages name them."""

PARTY_ROLES: dict[str, tuple[str, str]] = {
    "body": ("评价机构", "the evaluation body"),
    "evaluated": ("被评价方", "the evaluated party"),
    "commissioner": ("委托方", "the commissioning party"),
}
"""The parties of an evaluation, in the order an organisation is placed among them (E514, E515)."""
PART_OF = ("，属于{role}", ", part of {role}")
"""What an organisation is when it belongs to one of the parties."""
UNRELATED = ("，与本评价各方均无隶属关系", ", unrelated to the parties")
"""What an organisation is when it belongs to none of the parties."""

ACTIVITY_ORIGINS = {
    "plan": "评价方案（plan.activities）",
    "system": "指标体系（activities）",
    "standard": "§8.4",
}
"""Where the list of activities an evaluation must record comes from, as E501 names it."""

TEXT_LIMITS: dict[str, tuple[str, str]] = {
    "depth": ("行内结构（链接、方括号、括号、span）嵌套", "nesting of inline openers"),
    "cost": ("方括号的总开销", "cost of square brackets"),
    "tags": ("HTML 标签数量", "number of HTML tags"),
    "unclosed": ("未闭合（缺少 >）的 HTML 标签", "unclosed HTML tags"),
}
"""What passes a limit of a Markdown text's structure (E112): limit → (Chinese, English)."""

MARKER_PLACES: dict[str, tuple[str, str]] = {
    "comment": ("HTML 注释", "an HTML comment"),
    "fence": ("代码块标记行", "a code fence line"),
    "div": ("::: 块标记行", "a ::: block line"),
    "attribute": ("属性 {…}", "an attribute block"),
    "tag": ("HTML 标签", "an HTML tag"),
    "mistyped": ("写错的注释符号", "a mistyped comment"),
}
"""Where a near-miss of an internal marker stands in a narrative (E519): place → (Chinese, English)."""

INTERNAL_NOT_MADE: dict[str, tuple[str, str]] = {
    "left_out": ("有错误，未生成", "has errors"),
    "unknown": ("没有这个评价", "no such evaluation"),
}
"""Why ``zwpj internal`` made no report for an evaluation it was asked for: (Chinese, English)."""

DID_YOU_MEAN = ("，是不是“{word}”？", ", did you mean '{word}'?")
"""The suffix of a message naming an unknown id or key that is close to a known one."""

TYPE_NAMES: dict[str, tuple[str, str]] = {
    "string": ("文本", "a string"),
    "int": ("整数", "an integer"),
    "float": ("数字", "a number"),
    "bool": ("是/否（true/false）", "a boolean"),
    "date": ("日期（YYYY-MM-DD）", "a date (YYYY-MM-DD)"),
    "datetime": ("日期时间（YYYY-MM-DDTHH:MM）", "a date-time"),
    "dict": ("映射（键: 值）", "a mapping"),
    "list": ("列表（- 项）", "a list"),
    "model": ("映射（键: 值）", "a mapping"),
    "weight": ("数字、分数（如 1/86）或百分比（如 25%）", "a number, a fraction or a percentage"),
    "other": ("正确的类型", "the right type"),
}
"""How a type pydantic expects is named in E202: kind prefix → (Chinese, English)."""

PATTERN_HINTS: dict[str, str] = {
    r"^[a-z0-9][a-z0-9-]*$": "只用小写字母、数字和连字符，以字母或数字开头，例如 2024-hefei-platform。",
    r"^[A-Za-z][A-Za-z0-9_.-]*$": "以字母开头，只用字母、数字、点、下划线和连字符，例如 A1.2。",
    r"^[0-9a-f]{64}$": "SHA-256 写成 64 位小写十六进制；用 zwpj sample 生成的记录会自动填写。",
    r"^https?://\S+$": "写完整网址，以 http:// 或 https:// 开头，中间不含空格。",
    "": "参照示例的格式改写。",
}
"""Patterns the models use → how to write a matching value (E204); "" for any other."""

FAMILIES: dict[str, str] = {
    "E1": "E1xx 文件与 YAML",
    "E2": "E2xx 字段与取值",
    "E3": "E3xx 指标体系",
    "E4": "E4xx 评价",
    "E5": "E5xx 评价过程",
    "E6": "E6xx 数据集",
    "W7": "W7xx 警告",
    "E8": "E8xx 评分表（export-sheet / import-sheet）",
    "E9": "E9xx 报告模板",
    "T9": "T9xx 待办（尚未到达所需阶段的工作，不阻止提交）",
}
"""Code prefix → heading of its section in docs/diagnostics.md."""


SEVERITY_ZH: dict[Severity, str] = {E: "错误", W: "警告", T: "待办"}
"""How each severity is written in Chinese output."""


def _blank_fields(template: str) -> str:
    """A message template with its named fields shown as “…” (an optional "did you mean" left out)."""
    return re.sub(r"\{[a-z_]+\}", "…", re.sub(r"\{suggestion_(zh|en)\}", "", template))


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell (no column breaks, no raw HTML)."""
    return text.replace("|", "\\|").replace("<", "&lt;").replace("\n", " ")


def catalogue_markdown() -> str:
    """Every code as Markdown tables, one per family, for docs/diagnostics.md (a test keeps the doc in step)."""
    out: list[str] = []
    for prefix, heading in FAMILIES.items():
        codes = [code for code in MESSAGES if code.startswith(prefix)]
        out += [f"### {heading}", "", "| 代码 | 级别 | 含义 | Meaning | 如何修正 |", "|---|---|---|---|---|"]
        for code in codes:
            m = MESSAGES[code]
            sev = SEVERITY_ZH[m.severity]
            fix = m.fix or _blank_fields(m.hint)
            text = _blank_fields(m.zh)
            meaning = (
                f"**{m.title}**" + ("" if text.startswith(m.title) else "：") + text.removeprefix(m.title)
            )
            out.append(f"| {code} | {sev} | {_cell(meaning)} | {_cell(_blank_fields(m.en))} | {_cell(fix)} |")
        out.append("")
    return "\n".join(out)


def fields_of(*templates: str) -> set[str]:
    """The named fields the templates use."""
    return {name for text in templates for _, name, _, _ in Formatter().parse(text) if name}
