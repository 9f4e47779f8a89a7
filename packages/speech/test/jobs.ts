import type { JobView, Pay } from '@jobcast/core';

/** The scripts' tests' job: one full-time posting with every field a script may read. */
export function testPay(overrides: Partial<Pay> = {}): Pay {
  return { min: 4000, max: 6000, unit: 'month', negotiable: false, months: null, text: '4000-6000元/月', ...overrides };
}

export function testJob(overrides: Partial<JobView> = {}): JobView {
  return {
    id: 1,
    site: 'default',
    employer: '南昌洪城电子科技有限公司',
    title: '骨干操作工',
    pay: testPay(),
    headcount: 5,
    headcountText: null,
    location: '南昌市青山湖区',
    education: '高中',
    experience: '1年以上',
    category: 'full-time',
    contact: { name: '张先生', phone: '13800000000' },
    validFrom: '2026-11-01',
    validUntil: '2026-12-31',
    description: '吃苦耐劳，能适应两班倒',
    extra: { 福利待遇: '五险一金、包吃包住、双休' },
    warnings: [],
    updatedAt: '2026-11-20T08:00:00.000Z',
    ...overrides,
  };
}
