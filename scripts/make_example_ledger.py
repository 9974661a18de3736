"""Write the example ledger under `ledgers/example/` (the ledger a new user runs first).

The projects are a hand-written table (names, units, amounts, scenarios); the monthly figures, image
texts and procedure dates are derived from it with a fixed random seed, so running the script again
gives byte-identical files. Each project has a scenario so that the example shows what a dispatch
meeting deals with: projects on schedule, lagging (yellow/red), stalled in October, unreported for
October, new starts that are early, on time, late, overdue or not due until December, finished projects
(one of them no longer reporting, and green all the same), 前期 projects, and a few projects with a
monthly plan (分月计划) that the lights measure them against.

Usage: python scripts/make_example_ledger.py [OUT_DIR]   (default: ledgers/example)
"""

from __future__ import annotations

import json
import random
import shutil
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import chinese_calendar

from projledger.ledger.fsio import atomic_write_text
from projledger.ledger.scaffold import SCHEMA_FILE, schema_text, template_text, yaml_scalar
from projledger.ledger.yamlio import parse

YEAR = 2026
LAST_MONTH = 10
DISTRICT = "示例区"
UNITS = ["城关街道", "新华街道", "东城街道", "产业集聚区管委会", "商务中心区管委会", "区住建局", "区交通局", "区教体局"]
CATEGORIES = ["产业", "城建", "服务业", "民生"]
LEVELS = ["省重点", "市重点", "区重点"]
ID_CODES = {"产业": "cy", "城建": "cj", "服务业": "fw", "民生": "ms"}

# Construction is slow in January and around the Spring Festival (2026-02-17), then steady.
MONTH_WEIGHTS = [0.5, 0.3, 0.9, 1.1, 1.2, 1.2, 1.0, 1.0, 1.2, 1.2, 1.2, 1.0]

# Target year-to-date completion rate in October, as a share of the annual plan. The lights measure it
# against each project's own plan to date (SPEC 2): 10/12 = 83.3% for a project planned over the whole
# year (yellow below 73.3%, red below 63.3%), less for a new start planned to begin during the year.
RATES = {
    "green": (0.78, 0.96), "yellow": (0.65, 0.72), "red": (0.36, 0.58), "stalled": (0.50, 0.60),
    "unreported": (0.70, 0.80), "over": (1.06, 1.06), "early": (0.76, 0.80), "finished": (0.99, 0.99),
}

PHASES = {
    "factory": ["场地平整及临时设施", "桩基施工", "基础及地下工程施工", "主体钢结构安装", "厂房屋面及墙面围护",
                "生产线设备安装", "设备调试及试生产"],
    "building": ["土方开挖及基坑支护", "桩基施工", "基础筏板施工", "主体结构施工", "主体结构封顶",
                 "二次结构及外墙施工", "室内装修及机电安装", "室外配套工程"],
    "road": ["管线迁改及施工准备", "路基土方施工", "雨污水管网铺设", "水稳层施工", "沥青面层摊铺", "交通设施及绿化亮化"],
    "pipe": ["管材采购及施工准备", "主干管网开挖铺设", "支管及检查井施工", "闭水试验及路面恢复", "管网调试及附属工程"],
    "renewal": ["入户调查及评估", "征收协议签订", "房屋拆除及场地清表", "安置房基础施工", "安置房主体施工",
                "安置房装修及配套"],
    "park": ["清表及地形整理", "园路及广场铺装", "景观绿化种植", "配套设施及亮化"],
    "bridge": ["施工便道及围堰", "桩基施工", "承台墩柱施工", "上部结构架设", "桥面铺装及附属工程"],
    "oldtown": ["入户摸底及方案公示", "雨污管网改造", "外立面及屋面改造", "道路及停车位改造", "绿化亮化及配套设施"],
}
Step = dict[str, Any]  # one step of a procedure chain, as read from templates/procedures.yaml
PAPERWORK = ["准备申报材料", "已提交审批部门", "按审查意见修改完善", "专家评审", "等待批复", "补充材料后重新提交"]


@dataclass
class Spec:
    """One row of the project table."""

    unit: str
    category: str
    level: str
    kind: str
    name: str
    total: int
    owner: str
    leader: str
    content: str
    look: str
    scenario: str
    # 续建: (actual start, planned finish[, actual finish]); 新开工: (planned start, actual start, planned
    # finish); 前期: (planned start, planned finish).
    dates: tuple[str | None, ...]
    blocked: str | None = None  # the procedure that holds a not-started project up
    problems: list[tuple[str, str, str, str, str, str | None]] = field(default_factory=list)
    procedure_days: dict[str, int] = field(default_factory=dict)
    monthly: bool = False  # the project files a 分月计划 (monthly_plan) with its annual plan


# Problems: (type, text, owner, raised month, due, resolved).
PROJECTS: list[Spec] = [
    # 产业集聚区管委会
    Spec("产业集聚区管委会", "产业", "省重点", "续建", "年产10万吨新能源电池正极材料项目", 120000,
         "恒远新材料科技有限公司", "王海涛", "新建正极材料生产线4条及配套厂房12万平方米", "factory", "green",
         ("2025-04-10", "2027-06-30")),
    Spec("产业集聚区管委会", "产业", "省重点", "新开工", "智能装备制造产业园（一期）", 68000,
         "华拓智能装备有限公司", "王海涛", "建设标准化厂房8栋、研发中心1栋，总建筑面积15万平方米", "factory", "green",
         ("2026-04-30", "2026-04-24", "2028-04-30"),
         problems=[("手续", "施工许可待施工图审查意见回复后办理", "区住建局", "2026-03", "2026-04-20", "2026-04-15")],
         monthly=True),
    Spec("产业集聚区管委会", "产业", "市重点", "新开工", "年产500万套汽车零部件项目", 35000,
         "中联汽车部件有限公司", "刘志强", "建设冲压、焊装车间及仓储用房6万平方米", "factory", "yellow",
         ("2026-04-30", "2026-04-30", "2027-10-31")),
    Spec("产业集聚区管委会", "产业", "市重点", "续建", "生物医药标准化厂房项目", 26000,
         "康源生物医药产业发展有限公司", "刘志强", "建设GMP标准化厂房及质检研发楼4.8万平方米", "building", "red",
         ("2025-06-18", "2026-12-31"),
         problems=[("融资", "企业融资到位不足，二期厂房建设资金缺口约6000万元", "产业集聚区管委会", "2026-06",
                    "2026-09-30", None)]),
    Spec("产业集聚区管委会", "产业", "区重点", "新开工", "食品产业园冷链物流中心", 18000,
         "丰禾食品有限公司", "王海涛", "建设冷库3万吨、分拣中心及配套用房", "building", "red",
         ("2026-06-30", "2026-07-20", "2027-12-31"),
         problems=[("土地", "冷库用地尚未完成交地，影响按期开工", "区自然资源局", "2026-05", "2026-06-30",
                    "2026-07-10")]),
    Spec("产业集聚区管委会", "产业", "市重点", "续建", "高端纺织服装产业园", 42000,
         "锦程纺织有限公司", "刘志强", "建设纺纱、织造车间及印染中心9万平方米", "factory", "stalled",
         ("2025-03-20", "2027-03-31"),
         problems=[("融资", "银行贷款审批未通过，施工单位放缓进度", "产业集聚区管委会", "2026-08", "2026-10-31", None),
                   ("环保", "印染车间环评批复需重新报批", "市生态环境局示例分局", "2026-09", "2026-12-31", None)]),
    Spec("产业集聚区管委会", "产业", "区重点", "新开工", "电子信息产业孵化园", 15000,
         "区产业投资集团", "王海涛", "建设孵化楼、中试车间及配套用房3.2万平方米", "building", "overdue",
         ("2026-09-30", None, "2027-12-31"), blocked="土地报批",
         problems=[("土地", "项目用地尚未完成土地报批，无法办理规划许可", "区自然资源局", "2026-07", "2026-09-15", None)],
         procedure_days={"土地报批": 80}),
    Spec("产业集聚区管委会", "产业", "省重点", "新开工", "光伏组件智能工厂", 56000,
         "晶曜新能源科技有限公司", "刘志强", "建设年产2GW光伏组件生产线及配套厂房", "factory", "early",
         ("2026-11-30", "2026-10-16", "2028-06-30")),
    Spec("产业集聚区管委会", "城建", "区重点", "续建", "产业集聚区污水处理厂提标改造工程", 8600,
         "区水务投资有限公司", "王海涛", "日处理规模3万吨，出水提标至一级A", "pipe", "green",
         ("2025-09-15", "2026-12-31")),
    # 东城街道
    Spec("东城街道", "产业", "市重点", "新开工", "绿色建材产业园项目", 32000,
         "东磊新型建材有限公司", "赵国庆", "建设装配式建筑构件生产线3条", "factory", "green",
         ("2026-03-31", "2026-03-18", "2027-09-30")),
    Spec("东城街道", "产业", "区重点", "前期", "农副产品精深加工项目", 12000,
         "田园农业开发有限公司", "赵国庆", "建设农产品加工车间、冷库及检测中心", "factory", "pre",
         ("2027-03-31", "2028-06-30"), blocked="土地报批"),
    Spec("东城街道", "城建", "省重点", "续建", "东城片区棚户区改造项目", 86000,
         "区城投公司", "赵国庆", "征收房屋680户，建设安置房2100套", "renewal", "yellow",
         ("2024-09-10", "2027-12-31"),
         problems=[("拆迁", "剩余12户未签订征收协议", "东城街道", "2026-03", "2026-06-30", None)]),
    Spec("东城街道", "城建", "区重点", "新开工", "东环路道路工程", 11500,
         "区交投公司", "李卫东", "新建城市主干道2.6公里，配套雨污管网及照明", "road", "overdue",
         ("2026-05-31", None, "2027-08-31"), blocked="规划许可",
         problems=[("拆迁", "沿线3处厂房未完成征迁，影响开工", "东城街道", "2026-04", "2026-08-31", None),
                   ("手续", "规划许可待征迁完成、用地交付后办理", "区自然资源局", "2026-06", "2026-11-30", None)]),
    Spec("东城街道", "民生", "区重点", "新开工", "东城社区卫生服务中心", 4800,
         "区卫健委", "陈晓明", "建设业务用房6800平方米", "building", "green",
         ("2026-04-30", "2026-05-08", "2027-06-30")),
    Spec("东城街道", "民生", "区重点", "续建", "东城街道养老服务中心", 3600,
         "东城街道办事处", "赵国庆", "建设养老床位200张及日间照料中心", "building", "unreported",
         ("2025-08-20", "2026-12-31")),
    # 城关街道
    Spec("城关街道", "城建", "市重点", "续建", "南大街提升改造工程", 38000,
         "区城投公司", "张建国", "道路拓宽2.3公里，沿街立面改造，配套雨污管网", "road", "green",
         ("2025-05-12", "2027-10-31"),
         problems=[("拆迁", "沿街商户3户未签约", "城关街道", "2026-08", "2026-10-31", "2026-10-20")],
         monthly=True),
    Spec("城关街道", "城建", "区重点", "新开工", "老城区雨污分流改造工程", 9800,
         "区住建局", "张建国", "改造雨污管网21公里", "pipe", "yellow",
         ("2026-04-30", "2026-04-30", "2027-06-30"),
         problems=[("手续", "管网穿越铁路需铁路部门审批", "区住建局", "2026-06", "2026-08-31", "2026-09-12")]),
    Spec("城关街道", "民生", "市重点", "新开工", "城关片区老旧小区改造项目（一期）", 12600,
         "区住建局", "孙丽萍", "改造老旧小区23个、4100户", "oldtown", "green",
         ("2026-03-31", "2026-03-25", "2026-12-31")),
    Spec("城关街道", "服务业", "市重点", "续建", "古城历史文化街区保护利用项目", 45000,
         "区文旅集团", "孙丽萍", "修缮历史建筑42处，建设文化街区及游客服务中心", "building", "stalled",
         ("2025-04-28", "2027-12-31"),
         problems=[("融资", "专项债资金未到位，施工单位已部分撤场", "区财政局", "2026-08", "2026-10-15", None)]),
    Spec("城关街道", "城建", "区重点", "前期", "南顺河街改造项目", 16000,
         "区城投公司", "张建国", "道路改造1.8公里，河道整治及两岸景观", "road", "pre",
         ("2027-04-30", "2028-06-30"), blocked="可研批复"),
    Spec("城关街道", "服务业", "区重点", "新开工", "城关农贸市场改造提升", 3000,
         "城关街道办事处", "孙丽萍", "改造市场主体建筑及配套停车场", "oldtown", "green",
         ("2026-05-31", "2026-05-20", "2026-12-31")),
    Spec("城关街道", "民生", "区重点", "新开工", "城关第二幼儿园", 5200,
         "区教体局", "陈晓明", "建设12个班幼儿园及室外活动场地", "building", "green",
         ("2026-06-30", "2026-07-06", "2027-08-31")),
    # 新华街道
    Spec("新华街道", "城建", "市重点", "续建", "新华路综合提升工程", 22000,
         "区城投公司", "李卫东", "道路提升3.1公里，架空线入地，绿化亮化", "road", "green",
         ("2025-07-01", "2026-12-31")),
    Spec("新华街道", "城建", "省重点", "续建", "新华片区城中村改造项目", 95000,
         "区城投公司", "李卫东", "征收房屋920户，建设安置房2800套及配套学校", "renewal", "red",
         ("2024-10-15", "2028-06-30"),
         problems=[("拆迁", "仍有27户未签约，其中8户诉求过高", "新华街道", "2026-02", "2026-05-31", None),
                   ("土地", "安置房用地组卷报批待省厅批复", "区自然资源局", "2026-05", "2026-09-30", "2026-09-25")]),
    Spec("新华街道", "城建", "区重点", "新开工", "新华公园改造提升工程", 6800,
         "区住建局", "李卫东", "改造公园12公顷，新建园路、广场及儿童游乐设施", "park", "green",
         ("2026-04-30", "2026-04-20", "2026-12-31")),
    Spec("新华街道", "民生", "区重点", "新开工", "新华街道社区综合服务中心", 3200,
         "新华街道办事处", "孙丽萍", "建设社区服务用房4500平方米", "building", "notdue",
         ("2026-12-15", None, "2027-12-31")),
    Spec("新华街道", "服务业", "市重点", "新开工", "新华商业综合体项目", 66000,
         "新华置业有限公司", "孙丽萍", "建设购物中心、写字楼及地下停车场，总建筑面积18万平方米", "building",
         "green", ("2026-09-30", "2026-09-28", "2029-06-30")),
    Spec("新华街道", "民生", "区重点", "续建", "新华街道便民服务网点建设", 3800,
         "新华街道办事处", "李卫东", "建设便民菜市场2处、社区食堂3处", "oldtown", "unreported",
         ("2025-10-08", "2026-11-30")),
    # 商务中心区管委会
    Spec("商务中心区管委会", "服务业", "市重点", "续建", "商务中心区金融大厦项目", 58000,
         "区金控集团", "孙丽萍", "建设金融办公楼2栋，总建筑面积12万平方米", "building", "green",
         ("2025-03-16", "2027-06-30")),
    Spec("商务中心区管委会", "服务业", "省重点", "新开工", "现代物流园（一期）", 76000,
         "通达供应链管理有限公司", "刘志强", "建设智能仓储、分拨中心及信息平台，占地420亩", "building", "yellow",
         ("2026-04-30", "2026-04-30", "2028-04-30"),
         problems=[("土地", "二期用地尚有86亩未摘牌", "区自然资源局", "2026-07", "2026-11-30", None)]),
    Spec("商务中心区管委会", "服务业", "市重点", "续建", "星级酒店及会展中心项目", 48000,
         "嘉华置业有限公司", "孙丽萍", "建设五星级酒店及会展中心8.6万平方米", "building", "red",
         ("2024-11-20", "2027-12-31"),
         problems=[("融资", "投资方资金链紧张，项目贷款尚未获批", "商务中心区管委会", "2026-04", "2026-07-31", None)]),
    Spec("商务中心区管委会", "服务业", "区重点", "新开工", "电子商务产业园", 14000,
         "区产业投资集团", "刘志强", "建设电商直播基地、孵化楼及仓配中心", "building", "green",
         ("2026-06-30", "2026-06-18", "2027-12-31")),
    Spec("商务中心区管委会", "服务业", "区重点", "前期", "商务中心区人才公寓", 21000,
         "区城投公司", "孙丽萍", "建设人才公寓1200套及配套商业", "building", "pre",
         ("2027-03-31", "2029-03-31"), blocked="土地报批"),
    Spec("商务中心区管委会", "服务业", "区重点", "新开工", "文化创意产业园项目", 9600,
         "区文旅集团", "孙丽萍", "改造旧厂房为文化创意街区2.4万平方米", "oldtown", "overdue",
         ("2026-08-31", None, "2027-10-31"), blocked="规划许可",
         problems=[("手续", "规划方案需调整，规划许可尚未办理", "区自然资源局", "2026-08", "2026-10-31", None)]),
    Spec("商务中心区管委会", "服务业", "市重点", "续建", "总部经济大楼", 32000,
         "区金控集团", "刘志强", "建设总部办公楼及配套商业6.5万平方米", "building", "over",
         ("2025-02-26", "2027-03-31")),
    # 区住建局
    Spec("区住建局", "城建", "市重点", "续建", "城区集中供热管网扩建工程", 24000,
         "区热力公司", "李卫东", "新建供热主管网36公里、换热站18座", "pipe", "green",
         ("2025-04-01", "2026-10-31")),
    Spec("区住建局", "城建", "省重点", "新开工", "海绵城市建设示范项目（一期）", 52000,
         "区城投公司", "李卫东", "建设海绵型道路、公园及排涝设施，覆盖面积8平方公里", "park", "yellow",
         ("2026-03-31", "2026-04-02", "2028-03-31"),
         problems=[("环保", "重污染天气应急管控期间土方作业暂停", "区住建局", "2026-06", "2026-07-31",
                    "2026-07-25")]),
    Spec("区住建局", "城建", "区重点", "新开工", "城区背街小巷改造工程", 5600,
         "区住建局", "张建国", "改造背街小巷46条", "oldtown", "green",
         ("2026-04-30", "2026-04-30", "2026-12-31")),
    Spec("区住建局", "城建", "市重点", "续建", "城市污水处理厂三期扩建", 36000,
         "区水务投资有限公司", "张建国", "新增日处理能力5万吨及配套管网", "pipe", "green",
         ("2025-05-20", "2027-05-31")),
    Spec("区住建局", "民生", "市重点", "续建", "保障性租赁住房项目", 28000,
         "区城投公司", "张建国", "建设保障性租赁住房1500套", "building", "yellow",
         ("2025-06-10", "2027-06-30"),
         problems=[("融资", "中央预算内资金下达滞后", "区发改委", "2026-05", "2026-08-31", "2026-09-20")]),
    Spec("区住建局", "城建", "省重点", "前期", "城市生活垃圾焚烧发电项目", 65000,
         "区城投公司", "李卫东", "日处理生活垃圾1200吨，配套发电机组", "factory", "pre",
         ("2027-06-30", "2029-06-30"), blocked="环评"),
    Spec("区住建局", "民生", "区重点", "续建", "体育中心片区安置房项目", 19000,
         "区城投公司", "张建国", "建设安置房960套及配套设施", "building", "finished",
         ("2024-08-18", "2026-09-30", "2026-09-26")),
    # 区交通局
    Spec("区交通局", "城建", "省重点", "续建", "国道绕城段改线工程", 110000,
         "区交投公司", "李卫东", "新建一级公路18.5公里，大桥2座", "road", "green",
         ("2024-12-08", "2027-12-31"),
         monthly=True),
    Spec("区交通局", "城建", "市重点", "新开工", "城区北环路快速通道工程", 48000,
         "区交投公司", "李卫东", "新建城市快速路6.2公里，互通立交1座", "road", "red",
         ("2026-04-30", "2026-05-15", "2028-06-30"),
         problems=[("拆迁", "沿线15户房屋及2处高压线杆未完成征迁", "城关街道", "2026-05", "2026-08-15", None)]),
    Spec("区交通局", "城建", "市重点", "续建", "沙河大桥改建工程", 16000,
         "区交投公司", "李卫东", "拆除重建桥梁420米，改造引道1.2公里", "bridge", "stalled",
         ("2025-10-20", "2027-06-30"),
         problems=[("环保", "汛期河道禁止施工，主墩施工暂停", "区水利局", "2026-07", "2026-10-15", None)]),
    Spec("区交通局", "城建", "区重点", "新开工", "城乡公交枢纽站", 7200,
         "区交投公司", "李卫东", "建设公交首末站、调度中心及充电桩", "building", "early",
         ("2026-12-20", "2026-10-20", "2027-12-31")),
    Spec("区交通局", "城建", "区重点", "续建", "农村公路提质改造工程", 8500,
         "区交通局", "李卫东", "提质改造农村公路56公里", "road", "unreported",
         ("2025-09-01", "2026-12-31")),
    # 区教体局
    Spec("区教体局", "民生", "省重点", "续建", "区第一高级中学新校区", 42000,
         "区教体局", "陈晓明", "建设120个班高中校区，总建筑面积16万平方米", "building", "finished",
         ("2024-07-15", "2026-08-31", "2026-08-25")),
    Spec("区教体局", "民生", "市重点", "新开工", "城东实验学校建设项目", 18000,
         "区教体局", "陈晓明", "建设54个班九年一贯制学校", "building", "green",
         ("2026-03-31", "2026-03-28", "2027-08-31"),
         monthly=True),
    Spec("区教体局", "民生", "区重点", "新开工", "全民健身中心项目", 13500,
         "区教体局", "陈晓明", "建设体育馆、游泳馆及室外运动场", "building", "yellow",
         ("2026-07-31", "2026-08-20", "2028-06-30"),
         problems=[("土地", "用地规划调整，开工推迟", "区自然资源局", "2026-06", "2026-07-31", "2026-08-10")]),
    Spec("区教体局", "民生", "区重点", "前期", "职业教育实训基地", 15000,
         "区教体局", "陈晓明", "建设实训楼、学生公寓及配套设施", "building", "pre",
         ("2027-05-31", "2028-12-31"), blocked="可研批复"),
]


# --- calendar --------------------------------------------------------------------------------------

def is_workday(d: date) -> bool:
    """Chinese working day (statutory holidays and 调休 included)."""
    try:
        return bool(chinese_calendar.is_workday(d))
    except NotImplementedError:
        return d.weekday() < 5


def add_workdays(d: date, n: int) -> date:
    """The working day n working days after d (n may be negative)."""
    step = 1 if n >= 0 else -1
    while not is_workday(d):
        d += timedelta(days=step)
    for _ in range(abs(n)):
        d += timedelta(days=step)
        while not is_workday(d):
            d += timedelta(days=step)
    return d


def day(text: str) -> date:
    """ISO text to date."""
    return date.fromisoformat(text)


def month_end(month: int) -> date:
    """Last day of a month of YEAR."""
    return (date(YEAR + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


# --- procedures ------------------------------------------------------------------------------------

def chains() -> dict[str, dict[str, list[Step]]]:
    """The bundled procedure chains (templates/procedures.yaml)."""
    data = parse(template_text("procedures.yaml")).data
    assert isinstance(data, dict)
    return data


def forward(steps: list[Step], begin: date, rng: random.Random,
            days: dict[str, int]) -> dict[str, date]:
    """Done dates if every step is worked in file order from `begin`, each taking about its days."""
    done: dict[str, date] = {}
    for step in steps:
        name = str(step["name"])
        after = [done[a] for a in step.get("after", []) or [] if a in done]
        start = max([begin, *after])
        length = days.get(name, int(step["days"]))
        done[name] = add_workdays(start, max(1, round(length * rng.uniform(0.7, 1.2))))
    return done


def procedures_for(spec: Spec, rng: random.Random, chain: dict[str, list[Step]],
                   started: date | None, as_of: date) -> dict[str, date | None]:
    """Done dates of the before-start (and, for started projects, before-finish) steps."""
    steps = chain["before_start"]
    result: dict[str, date | None] = {}
    if started is not None:
        planned = forward(steps, date(2000, 1, 1), rng, spec.procedure_days)
        last = max(planned.values())
        shift = add_workdays(started, -rng.randint(2, 12)) - last
        for name, d in planned.items():
            result[name] = add_workdays(d + shift, 0) if is_workday(d + shift) else add_workdays(d + shift, -1)
    else:
        # Paperwork begins about as long before the planned start as the chain takes, so that only
        # the blocked step (and whatever waits for it) is still open at the report month.
        anchor = day(str(spec.dates[0]))
        lead = max(forward(steps, anchor, random.Random(0), spec.procedure_days).values()) - anchor
        begin = max(date(YEAR - 1, 9, 1), anchor - lead - timedelta(days=rng.randint(10, 60)))
        if spec.kind == "前期":  # preparing for next year: the paperwork is under way this year
            begin = min(begin, date(YEAR, rng.randint(1, 4), rng.randint(5, 25)))
        begin = add_workdays(begin, 0)
        planned = forward(steps, begin, rng, spec.procedure_days)
        blocked = {spec.blocked} if spec.blocked else set()
        for step in steps:  # a blocked step holds up everything after it
            if any(a in blocked for a in step.get("after", []) or []):
                blocked.add(str(step["name"]))
        cutoff = as_of - timedelta(days=10)
        for name, d in planned.items():
            result[name] = d if d <= cutoff and name not in blocked else None
    if started is not None:
        finish_actual = day(spec.dates[2]) if spec.kind == "续建" and len(spec.dates) > 2 and spec.dates[2] else None
        for k, step in enumerate(chain["before_finish"]):
            name = str(step["name"])
            result[name] = add_workdays(finish_actual, -(len(chain["before_finish"]) - k) * 4) if finish_actual else None
    return result


# --- figures ---------------------------------------------------------------------------------------

def money(value: float, places: int) -> Decimal:
    """Round to 10 万元 (places 0) or to 0.1 万元 (places 1)."""
    if places == 0:
        return (Decimal(value) / 10).quantize(Decimal(1), rounding=ROUND_HALF_UP) * 10
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def plan_amounts(spec: Spec, rng: random.Random) -> tuple[Decimal, Decimal]:
    """(annual_plan, before_year)."""
    total = spec.total
    if spec.kind == "前期":
        return Decimal(0), Decimal(0)
    if spec.kind == "续建":
        started = day(str(spec.dates[0]))
        years_in = (YEAR - started.year) + (12 - started.month) / 12
        before_share = min(0.62, 0.18 + 0.22 * years_in + rng.uniform(-0.05, 0.05))
        if spec.scenario == "finished":
            before_share = 0.72
        before = money(total * before_share, 0)
        rest = Decimal(total) - before
        share = Decimal(1) if spec.scenario == "finished" else Decimal(str(round(rng.uniform(0.38, 0.6), 2)))
        return money(float(rest * share), 0), before
    start = day(str(spec.dates[1] or spec.dates[0]))
    # Later starts get a smaller part of the total planned for this year.
    fraction = 0.42 - 0.03 * (start.month - 3) + rng.uniform(-0.05, 0.05)
    return money(total * max(0.08, fraction), 0), Decimal(0)


def monthly_plan(plan: Decimal, first_month: int) -> list[Decimal]:
    """分月计划: the annual plan spread by MONTH_WEIGHTS from first_month, in 10 万元, summing exactly to plan.

    December takes what rounding leaves, as an office's plan would put the remainder in the last month.
    """
    weights = [w if m >= first_month else 0.0 for m, w in enumerate(MONTH_WEIGHTS, start=1)]
    amounts = [money(float(plan) * w / sum(weights), 0) for w in weights[:11]]
    amounts.append(plan - sum(amounts, Decimal(0)))
    assert amounts[-1] >= 0, amounts
    return amounts


def curve(start_month: int, start_day: int, upto: int) -> list[float]:
    """Cumulative fraction of October's figure at the end of each month 1..upto."""
    weights = []
    for m in range(1, 13):
        if m < start_month:
            weights.append(0.0)
        elif m == start_month:
            weights.append(MONTH_WEIGHTS[m - 1] * (month_end(m).day - start_day + 1) / month_end(m).day)
        else:
            weights.append(MONTH_WEIGHTS[m - 1])
    total = sum(weights[:LAST_MONTH])
    cum, out = 0.0, []
    for m in range(upto):
        cum += weights[m]
        out.append(cum / total if total else 0.0)
    return out


@dataclass
class Entry:
    """One month's report."""

    month: int
    completed: Decimal
    image: str
    problems: list[str]


def phase_text(spec: Spec, physical: float) -> str:
    """形象进度 from the physical share done."""
    phases = PHASES[spec.look]
    k = min(len(phases) - 1, int(physical * len(phases)))
    return f"{phases[k]}，完成总工程量的{round(physical * 100)}%"


def paperwork_text(procs: dict[str, date | None], month: int, steps: list[str], kind: str) -> str:
    """形象进度 of a project that has not started: where its approvals stand that month."""
    as_of = month_end(month)
    dated = {s: d for s in steps if (d := procs.get(s)) is not None and d <= as_of}
    done = sorted(dated, key=lambda s: dated[s])
    pending = [s for s in steps if s not in done]
    head = "前期工作" if kind == "前期" else "未开工"
    if not pending:
        return f"{head}，前期手续已全部办结，{'正在组织施工队伍进场' if kind != '前期' else '等待列入年度开工计划'}"
    activity = PAPERWORK[(month + len(done)) % len(PAPERWORK)]
    got = f"已完成{done[-1]}，" if done else ""
    return f"{head}，{got}{pending[0]}{activity}"


def problem_line(p: tuple[str, str, str, str, str, str | None], month: int) -> str | None:
    """A problem as listed in a month's report: from the month raised until the month resolved."""
    ptype, text, owner, raised, due, resolved = p
    raised_m = int(raised[5:])
    resolved_m = int(resolved[5:7]) if resolved else 99
    if not raised_m <= month <= resolved_m:
        return None
    shown = resolved if resolved and month == resolved_m else "null"
    return (f"{{type: {yaml_scalar(ptype, flow=True)}, text: {yaml_scalar(text, flow=True)}, "
            f"owner: {yaml_scalar(owner, flow=True)}, due: {due}, resolved: {shown}}}")


def progress(spec: Spec, rng: random.Random, plan: Decimal, before: Decimal, started: date | None,
             procs: dict[str, date | None], steps: list[str], places: int) -> list[Entry]:
    """The monthly reports from January to October."""
    scenario = spec.scenario
    last = LAST_MONTH - 1 if scenario == "unreported" else LAST_MONTH
    if scenario == "finished":  # a finished project reports its final account the month after, then stops
        last = min(LAST_MONTH, day(str(spec.dates[2])).month + 1)
    entries: list[Entry] = []
    if started is None or plan == 0:
        for m in range(1, last + 1):
            entries.append(Entry(m, Decimal(0), paperwork_text(procs, m, steps, spec.kind), []))
    else:
        lo, hi = RATES[scenario]
        rate = rng.uniform(lo, hi)
        s_month = started.month if started.year == YEAR else 1
        s_day = started.day if started.year == YEAR else 1
        fractions = curve(s_month, s_day, LAST_MONTH)
        if scenario == "finished":  # done by the finish month, then only the final account
            finish = day(str(spec.dates[2]))
            fractions = [min(1.0, f / fractions[finish.month - 1]) for f in fractions]
        for m in range(1, last + 1):
            value = float(plan) * rate * fractions[m - 1]
            if scenario == "stalled" and m == LAST_MONTH:
                entries.append(Entry(m, entries[-1].completed, entries[-1].image, []))
                continue
            completed = money(value, places)
            if m < s_month:
                image = paperwork_text(procs, m, steps, spec.kind)
            elif scenario == "finished" and m >= day(str(spec.dates[2])).month:
                tail = ["竣工验收合格，交付使用", "完成竣工结算审计", "完成竣工决算，资料归档"]
                image = tail[min(2, m - day(str(spec.dates[2])).month)]
                completed = min(plan, money(float(plan) * rate, places) + (m - day(str(spec.dates[2])).month) * 30)
            else:
                physical = float(before + completed) / spec.total
                image = phase_text(spec, max(0.01, physical))
            if entries and completed < entries[-1].completed:
                completed = entries[-1].completed
            entries.append(Entry(m, completed, image, []))
        if scenario == "stalled":
            # Almost nothing in September either: the site has slowed before it stopped.
            entries[-2].completed = entries[-3].completed + money(float(plan) * 0.01, places)
            entries[-1].completed = entries[-2].completed
            physical = float(before + entries[-2].completed) / spec.total
            entries[-2].image = entries[-1].image = phase_text(spec, physical)
    for e in entries:
        e.problems = [line for p in spec.problems if (line := problem_line(p, e.month))]
    # Images that repeat only where the scenario says so.
    for prev, cur in zip(entries, entries[1:], strict=False):
        if cur.image == prev.image and cur.completed == prev.completed and not (
            scenario == "stalled" and cur.month == LAST_MONTH
        ):
            cur.image += "，持续推进"
    return entries


# --- writing ---------------------------------------------------------------------------------------

def fmt_money(value: Decimal) -> str:
    """Money as plain YAML number text."""
    return f"{value.normalize():f}" if value != value.to_integral() else str(int(value))


def fmt_date(value: date | None) -> str:
    """A date, or null."""
    return "null" if value is None else value.isoformat()


def project_yaml(pid: str, spec: Spec, rng: random.Random, chain_all: dict[str, dict[str, list[Step]]],
                 places: int) -> str:
    """The text of one project file."""
    chain = chain_all[spec.category]
    steps = [str(s["name"]) for s in chain["before_start"]]
    as_of = month_end(LAST_MONTH)
    if spec.kind == "续建":
        began = day(str(spec.dates[0]))
        actual_start: date | None = began
        planned_start = add_workdays(began - timedelta(days=rng.randint(0, 40)), 0)
        planned_finish = day(str(spec.dates[1]))
        actual_finish = day(str(spec.dates[2])) if len(spec.dates) > 2 and spec.dates[2] else None
    elif spec.kind == "新开工":
        planned_start = day(str(spec.dates[0]))
        actual_start = day(str(spec.dates[1])) if spec.dates[1] else None
        planned_finish = day(str(spec.dates[2]))
        actual_finish = None
    else:
        planned_start, planned_finish = day(str(spec.dates[0])), day(str(spec.dates[1]))
        actual_start = actual_finish = None
    plan, before = plan_amounts(spec, rng)
    procs = procedures_for(spec, rng, chain, actual_start, as_of)
    entries = progress(spec, rng, plan, before, actual_start, procs, steps, places)

    lines = [
        f"# yaml-language-server: $schema=../../{SCHEMA_FILE}",
        f"# {DISTRICT}{YEAR}年重点项目台账（示例）：{pid} {spec.name}",
        "# 由 scripts/make_example_ledger.py 生成，可直接手工编辑。金额单位：万元；completed 为 1-M 月累计完成投资。",
        "",
        f"id: {yaml_scalar(pid)}",
        f"name: {yaml_scalar(spec.name)}",
        f"category: {spec.category}",
        f"level: {spec.level}",
        f"kind: {spec.kind}",
        f"unit: {spec.unit}",
        f"leader: {yaml_scalar(spec.leader)}",
        f"owner: {yaml_scalar(spec.owner)}",
        f"content: {yaml_scalar(spec.content)}",
        "",
        "investment:",
        f"  total: {spec.total}",
        f"  annual_plan: {fmt_money(plan)}",
        f"  before_year: {fmt_money(before)}",
    ]
    if spec.monthly:
        first = planned_start.month if spec.kind == "新开工" and planned_start.year == YEAR else 1
        amounts = ", ".join(fmt_money(a) for a in monthly_plan(plan, first))
        lines += [f"  monthly_plan: [{amounts}]   # 分月计划：1-12月，合计等于年度计划"]
    lines += [
        "",
        f"planned: {{start: {fmt_date(planned_start)}, finish: {fmt_date(planned_finish)}}}",
        f"actual: {{start: {fmt_date(actual_start)}, finish: {fmt_date(actual_finish)}}}",
        "",
        "procedures:",
        *(f"  {name}: {fmt_date(d)}" for name, d in procs.items()),
    ]
    if spec.procedure_days:
        lines += ["", "procedure_days:", *(f"  {k}: {v}" for k, v in spec.procedure_days.items())]
    lines += ["", "progress:"]
    for e in entries:
        lines += [
            f"  - month: {YEAR}-{e.month:02d}",
            f"    completed: {fmt_money(e.completed)}",
            f"    image: {yaml_scalar(e.image)}",
        ]
        if e.problems:
            lines.append("    problems:")
            lines += [f"      - {p}" for p in e.problems]
    return "\n".join(lines) + "\n"


def settings_yaml() -> str:
    """projledger.yaml of the example ledger."""
    units = "\n".join(f"  - {u}" for u in UNITS)
    return f"""\
# {DISTRICT}{YEAR}年重点项目台账（示例台账）。先在这里试：
#   projledger check --ledger ledgers/example
#   projledger status --ledger ledgers/example
# 由 scripts/make_example_ledger.py 生成，可直接手工编辑。

district: {DISTRICT}
year: {YEAR}

units:                            # 责任单位，按调度表中的显示顺序
{units}

categories: [{", ".join(CATEGORIES)}]
levels: [{", ".join(LEVELS)}]

time_progress: month              # 时间进度按月：10月底为 10/12

warning:                          # 预警：每个项目与它自己的1-M月计划投资（序时计划）比
  measure: points                 # 差距 = 投资完成率 - 序时进度（百分点）；ratio 为完成序时计划的百分比
  yellow_below: -10               # 低于序时计划 10 个百分点以上：黄灯（ratio 时写如 80）
  red_below: -20                  # 低于序时计划 20 个百分点以上：红灯（ratio 时写如 60）
  start_grace_days: 0             # 到期未开工超过几天：红灯
  escalate_after: 0               # 连续几个月黄灯转红灯；0 为不升级

nodes:
  - {{name: 五一集中开工, date: {YEAR}-04-30, kind: start}}
  - {{name: 半年观摩, date: {YEAR}-07-15, kind: visit}}
  - {{name: 十一集中开工, date: {YEAR}-09-30, kind: start}}
  - {{name: 年底集中竣工, date: {YEAR}-12-31, kind: finish}}

calendar:
  holidays: []
  workdays: []

packet:                           # 会议材料：调度表每页下方的制表栏，填报表的报送时限
  office: {DISTRICT}重点项目办
  preparer: 王晓燕
  reviewer: 刘建华
  form_due_day: 25                # 填报表“请于当月25日前报送”

bulletin:                         # 通报（brief -o 通报.docx）：主送机关和落款
  issuer: {DISTRICT}重点项目建设指挥部办公室
  to: 各街道办事处、管委会，区直有关单位
"""

REQUIREMENTS = """\
（一）加快未开工项目开工。未按计划开工的项目，包抓领导要逐一研究，倒排工期，确保11月底前全部开工。
（二）加快投资进度。投资完成率低于时间进度的单位，要对照年度计划查找原因，挂图作战，确保完成年度目标任务。
（三）限期解决存在问题。逾期未解决的问题，责任单位要明确专人、限期办结，每月25日前报送进展。
（四）按时报送进展。各责任单位于每月25日前报送填报表，不得迟报、漏报。
"""


def build(out: Path) -> list[Path]:
    """Write the whole example ledger under `out` (the projects folder is rebuilt from scratch)."""
    rng = random.Random(YEAR)
    chain_all = chains()
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "projledger.yaml", out / "templates" / "requirements.md"]
    atomic_write_text(out / "projledger.yaml", settings_yaml())
    (out / "templates").mkdir(exist_ok=True)
    atomic_write_text(out / "templates" / "requirements.md", REQUIREMENTS)  # the bulletin's 下步工作要求
    # Schema examples come from the settings just written, as `projledger schema` would print them.
    from projledger.ledger.loader import load_settings

    settings, _, errors = load_settings(out)
    if settings is None:
        raise SystemExit("\n".join(str(e) for e in errors))
    atomic_write_text(out / SCHEMA_FILE, schema_text(settings))
    written.append(out / SCHEMA_FILE)
    projects = out / "projects"
    if projects.exists():
        shutil.rmtree(projects)
    counters = dict.fromkeys(ID_CODES.values(), 0)
    for i, spec in enumerate(PROJECTS):
        code = ID_CODES[spec.category]
        counters[code] += 1
        pid = f"{YEAR}-{code}-{counters[code]:03d}"
        folder = projects / spec.unit
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{pid}.yaml"
        atomic_write_text(path, project_yaml(pid, spec, rng, chain_all, places=1 if i % 5 == 4 else 0))
        written.append(path)
    return written


def main() -> None:
    """Entry point."""
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "ledgers" / "example"
    written = build(out)
    print(json.dumps({"written": len(written), "out": str(out)}, ensure_ascii=False))


if __name__ == "__main__":
    main()
