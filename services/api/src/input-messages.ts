import type { z } from '@hono/zod-openapi';

/**
 * What a person reads when a field is refused: the names of the fields the API and the console
 * take, put in front of zod's reasons (in Chinese: `useChineseIssueMessages` from @jobcast/config).
 */

/** The field names requests use, as the console's forms name them. */
export const FIELD_LABELS: Record<string, string> = {
  aiTool: 'AI 工具',
  aiVideo: '是否 AI 视频',
  anchorName: '主播',
  asset: '素材',
  autoLimit: '自动节目单的视频数',
  body: '请求内容',
  cachedBytes: '缓存大小',
  cachedItems: '已缓存的视频数',
  category: '类别',
  clips: '视频片段',
  code: '配对码',
  copies: '印数',
  copiesPlanned: '计划印数',
  copiesPrinted: '实际印数',
  count: '数量',
  cursor: '翻页位置',
  date: '日期',
  days: '星期',
  description: '说明',
  displayName: '显示名称',
  employerId: '单位编号',
  employers: '用人单位',
  endedAt: '结束时间',
  endsAt: '结束时间',
  explainer: '讲解',
  file: '文件',
  filter: '筛选条件',
  force: '确认提前结束',
  from: '开始',
  groupId: '屏幕分组',
  id: '编号',
  images: '图片',
  inS: '入点',
  issueNumber: '期号',
  items: '节目单',
  jobId: '岗位编号',
  jobIds: '岗位',
  jobSeekers: '求职者人数',
  kind: '类型',
  level: '级别',
  limit: '数量上限',
  liveSessionId: '直播场次',
  manifestVersion: '节目单版本',
  minutes: '时长（分钟）',
  mode: '节目单方式',
  month: '月份',
  music: '音乐',
  name: '名称',
  offers: '达成意向人数',
  offset: '跳过条数',
  outlet: '媒体名称',
  outS: '出点',
  page: '页码',
  password: '密码',
  pendingPlays: '待上传的播放记录',
  photoId: '照片编号',
  place: '发放地点',
  plan: '活动方案',
  platform: '平台',
  playedMs: '播放时长',
  playId: '播放编号',
  playingRenderId: '正在播放的视频',
  plays: '播放记录',
  points: '要点',
  problems: '问题',
  provider: '语音服务',
  publishedOn: '发布日期',
  rate: '语速',
  reason: '原因',
  relays: '转推地址',
  renderId: '制作编号',
  renderIds: '视频',
  screenId: '屏幕',
  script: '文稿',
  search: '搜索词',
  sentAt: '发送时间',
  sessionId: '直播场次',
  sheet: '工作表',
  silent: '不配音',
  sound: '原声',
  start: '开始时间',
  startedAt: '开始时间',
  startsAt: '开始时间',
  state: '状态',
  status: '状态',
  summary: '活动总结',
  template: '模板',
  text: '文字',
  title: '标题',
  to: '结束',
  token: '凭据',
  totalItems: '视频总数',
  type: '类型',
  url: '链接',
  username: '用户名',
  venue: '举办地点',
  voice: '声音',
  which: '文件',
  windows: '播放时段',
  writer: '文稿写作',
  year: '年份',
};

/** A field's name as a person reads it: `employers.2.name` is 用人单位第 3 项的名称. */
export function fieldLabel(path: readonly PropertyKey[], fallback = '请求内容'): string {
  let label = '';
  for (const key of path) {
    if (typeof key === 'number' || /^\d+$/.test(String(key))) label += `第 ${Number(key) + 1} 项`;
    else label += `${label ? '的' : ''}${FIELD_LABELS[String(key)] ?? String(key)}`;
  }
  return label || fallback;
}

/** The issues of a refused input as one line: each field named in Chinese, then why. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], fallback = '请求内容'): string {
  return issues.map((issue) => `${fieldLabel(issue.path, fallback)}：${issue.message}`).join('；');
}
