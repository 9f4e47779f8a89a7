import { describe, expect, it } from 'vitest';
import { queues, renderRequest } from '../src/index.ts';

describe('render requests', () => {
  it('accepts a video of picked jobs or of a filter, and a flyer with its defaults', () => {
    expect(renderRequest.parse({ kind: 'video', template: 'job-spotlight', jobIds: [12] })).toEqual({
      kind: 'video',
      template: 'job-spotlight',
      jobIds: [12],
    });
    expect(
      renderRequest.parse({ kind: 'poster', template: 'multi-job-poster', filter: { category: 'gig', days: 7 } }),
    ).toMatchObject({ filter: { category: 'gig', days: 7, limit: 6 } });
    expect(renderRequest.parse({ kind: 'flyer', month: '2026-11' })).toEqual({
      kind: 'flyer',
      template: 'monthly-flyer',
      month: '2026-11',
      copies: 1000,
    });
  });

  it('says what is wrong and where', () => {
    const cases: [unknown, RegExp][] = [
      [{ kind: 'video', template: 'job-spotlight' }, /jobIds.*二者选一/s],
      [{ kind: 'video', template: 'job-spotlight', jobIds: [1], filter: { category: 'gig' } }, /二者选一/],
      [{ kind: 'poster', template: '../etc', jobIds: [1] }, /template: 模板名只有小写字母、数字和 -/],
      [{ kind: 'video', template: 'job-spotlight', jobIds: Array.from({ length: 25 }, (_, i) => i + 1) }, /jobIds/],
      [{ kind: 'flyer', month: '2026-13' }, /^month: 请写成 2026-01 这样的年-月，年份在 2000 到 2100 之间$/],
      [{ kind: 'flyer', month: '0000-01' }, /^month: 请写成 2026-01 这样的年-月/],
      [{ kind: 'gif', template: 'x' }, /kind/],
    ];
    for (const [input, message] of cases) {
      const result = renderRequest.safeParse(input);
      expect(result.success, JSON.stringify(input)).toBe(false);
      const text = result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
      expect(text, JSON.stringify(input)).toMatch(message);
    }
  });

  it("derives the render's queue job id from its row, in a form BullMQ accepts (no ':', not all digits)", () => {
    const id = queues.render.jobId(queues.render.payload.parse({ renderId: 7, kind: 'video' }));
    expect(id).toBe('render-7');
    expect(id).not.toMatch(/:|^\d+$/);
  });
});
