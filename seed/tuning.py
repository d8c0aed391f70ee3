"""How the synthetic report history behaves: how often each path is taken, what people write."""

from datetime import timedelta

REJECT_SHARE = 0.04
ONSPOT_SHARE = 0.45  # patrollers' findings fixed on the spot
DEPARTMENT_SHARE = 0.22  # department categories sent to the department itself
POOL_SHARE = 0.06  # sent to the grid's pool
HEAD_SHARE = 0.2  # sent to the grid head rather than a member
LATE_SHARE = {4: 0.2}  # by deadline hours; else LATE_DEFAULT
LATE_DEFAULT = 0.1
BADLY_LATE = 0.25  # of late ones: most of a window late or more (at most MAX_LATE)
MAX_LATE = timedelta(hours=96)
REOPEN_SHARE = 0.03  # of resolved on time: the resident was not satisfied the first time
LINK_REVISIT = 0.65  # residents with a phone rating on the tracking link (else by phone)
SATISFACTION = {False: ((5, 4, 3), (58, 32, 10)), True: ((5, 4, 3), (30, 40, 30))}  # late?
REUSE_REPORTER = 0.3  # a resident who has reported before in the same community
HAS_PHONE = {"resident": 0.9, "hotline": 0.95, "walk_in": 0.8}
REDEEM_CHANCE = 0.35  # after an award that brings the balance to 50 or more
# At now, newest first: the stage the latest reports wait in (History.hold).
HOLDS = ("submitted", "accepted", "pool", "dispatched", "accepted", "pool", "submitted",
         "dispatched")
LATE_NOW = 3

REJECT_REASONS = ("不属于本辖区，已告知向属地反映", "现场核实无此问题",
                  "描述不清，且无法联系反映人核实", "属于民事纠纷，建议通过诉讼途径解决",
                  "问题已由相关单位处理完毕")
RESOLUTIONS = {
    "environment": ("已联系环卫清运，现场已清理干净", "垃圾已清运，并督促沿街商户落实门前三包"),
    "facilities": ("已报修，路灯恢复照明", "井盖已加固复位", "破损地砖已更换"),
    "illegal_parking": ("已联系车主挪车", "已劝离并张贴告知单", "非机动车已整理归位"),
    "leak": ("已联系物业关阀维修，漏点已修复", "已更换老化水管"),
    "wiring_gas": ("已拆除私拉电线并宣传安全用电", "燃气公司上门检测，已更换胶管",
                   "已劝导电动车移出楼道"),
    "dispute": ("经网格员调解，双方达成一致", "已组织双方协商并签订调解协议"),
    "elderly_help": ("已上门探访，老人身体状况良好", "已协调志愿者陪同就医", "已登记老年助餐服务"),
    "hardship": ("已协助提交临时救助申请", "已上门核实并转民政办理", "已解答政策并协助准备材料"),
    "pipes": ("已安排疏通，排水恢复正常", "已联系清掏，化粪池已处理"),
    "greening": ("已清理倒伏树木", "已安排除草", "已修剪遮挡树枝"),
    "market": ("已劝离流动摊贩", "已下架过期食品并立案调查", "已督促商户退店经营"),
    "other": ("已到现场处理完毕", "已协调相关单位处理"),
}
VERIFY_NOTES = {5: ("处理及时，非常满意", "感谢网格员", None, None), 4: ("处理得不错", None, None),
                3: ("基本解决", "处理有点慢", None)}
REOPEN_NOTES = ("没有处理干净", "问题仍然存在", "只处理了一半")
REDEEM_NOTES = ("兑换洗衣液一瓶", "兑换大米一袋", "兑换公交卡充值", "兑换家政服务券")
