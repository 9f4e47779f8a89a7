import type { JobView } from '@jobcast/core';

/** A job as the renderers read it, for poster tests and the render benchmark. */
export function samplePosterJob(overrides: Partial<JobView> = {}): JobView {
  return {
    id: 1,
    site: 'default',
    employer: '南昌洪城电子科技有限公司',
    title: '骨干操作工',
    pay: { min: 4000, max: 6000, unit: 'month', negotiable: false, months: null, text: '4000-6000元/月' },
    headcount: 5,
    headcountText: '5人',
    location: '南昌市青山湖区',
    education: '高中',
    experience: '1年以上',
    category: 'full-time',
    contact: { name: '张先生', phone: '13800000000' },
    validFrom: '2026-11-01',
    validUntil: null,
    description: '吃苦耐劳，能适应两班倒',
    extra: {},
    warnings: [],
    updatedAt: '2026-11-20T08:00:00.000Z',
    ...overrides,
  };
}

/** An office's settings as the poster templates print them (hotline, address, QR page; no logo). */
export const samplePosterSite = {
  name: '示范区就业服务中心',
  hotline: '0791-88886666',
  address: '南昌市青山湖区民营科技园就业服务大厅一楼',
  qrUrl: 'https://jobs.example.cn/site/default',
  primaryColor: null,
  accentColor: null,
  logo: null,
  code: 'default',
  voiceProvider: 'espeak',
  voice: null,
  voiceRate: 1,
} as const;
