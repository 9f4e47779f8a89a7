import { loadConfig } from '@jobcast/config';
import { videoFilterGraph } from '@jobcast/ffmpeg';
import { type Box, templateChoices, VIDEO_PROFILE, type VideoScene } from '@jobcast/renders';
import { samplePosterJob, samplePosterSite } from '@jobcast/sample-data';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { DRIFT_SCALE, fontFace, loadTemplate, videoSceneSvgs } from '../src/index.ts';
import { AI_LABEL_TEXT, assSubtitles, CAPTION_STYLE, layoutCaptions } from '../src/video/captions.ts';

/**
 * Where the video templates put things, read from the layout model (the templates' boxes, the drift
 * of a moving scene, the captions' style), nothing encoded: every card and every piece of text stays
 * where 视频号 and 抖音 draw nothing of their own, and each job's scene shows that job's fields.
 */

const { templatesDir } = loadConfig({});

/**
 * The part of a 1080×1920 frame the apps leave alone: clear of the top ~250 px (status bar, tabs), the
 * bottom ~460 px (title, description, music) and the right-hand ~180 px (avatar, like, comment, share).
 */
const SAFE = {
  right: VIDEO_PROFILE.width - 180,
  top: 250,
  bottom: VIDEO_PROFILE.height - 460,
} as const;

interface Extent {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * How a drifting scene moves, as the filter graph does it: its still is drawn DRIFT_SCALE larger and a
 * frame-sized window crosses it from `x = 0` to `x = dx`, at a fixed `y`.
 */
let drift: { scale: number; dx: number; y: number };

beforeAll(async () => {
  // The still's size as a render draws it (librsvg at the larger density).
  const blank = `<svg xmlns="http://www.w3.org/2000/svg" width="${VIDEO_PROFILE.width}" height="${VIDEO_PROFILE.height}"/>`;
  const { info } = await sharp(Buffer.from(blank), { density: 72 * DRIFT_SCALE })
    .png()
    .toBuffer({ resolveWithObject: true });
  const graph = videoFilterGraph({
    ...VIDEO_PROFILE,
    transition: { type: 'fade', seconds: 0.5 },
    scenes: [{ seconds: 4, motion: 'drift', width: info.width, height: info.height }],
  });
  const crop = /crop=(\d+):(\d+):x='(\d+)\*n\/\d+':y=(\d+)/.exec(graph);
  expect(crop, `the drift's crop in the filter graph has changed; update this model: ${graph}`).not.toBeNull();
  drift = { scale: info.width / VIDEO_PROFILE.width, dx: Number(crop?.[3]), y: Number(crop?.[4]) };
});

/** Where a box of the scene's still is on screen over the scene: itself, or everywhere it goes as the scene drifts. */
function onScreen(box: Box, drifts: boolean): Extent {
  if (!drifts) return { left: box.x, top: box.y, right: box.x + box.width, bottom: box.y + box.height };
  const { scale, dx, y } = drift;
  return {
    left: box.x * scale - dx,
    top: box.y * scale - y,
    right: (box.x + box.width) * scale,
    bottom: (box.y + box.height) * scale - y,
  };
}

/** What part of the safe area an extent crosses, in words; '' when it is inside. */
function outside(e: Extent): string {
  const crossed = [
    e.right > SAFE.right ? `right edge at x=${e.right.toFixed(0)} > ${SAFE.right}` : '',
    e.top < SAFE.top ? `top at y=${e.top.toFixed(0)} < ${SAFE.top}` : '',
    e.bottom > SAFE.bottom ? `bottom at y=${e.bottom.toFixed(0)} > ${SAFE.bottom}` : '',
    e.left < 0 ? `left edge at x=${e.left.toFixed(0)} < 0` : '',
  ];
  return crossed.filter(Boolean).join(', ');
}

const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** A rectangle that runs off the frame is a background or a band: only a card within the frame holds to the safe area. */
const bleeds = (b: Box) =>
  b.x <= 0 || b.y <= 0 || b.x + b.width >= VIDEO_PROFILE.width || b.y + b.height >= VIDEO_PROFILE.height;

/**
 * Everything of a scene that must stay in the safe area, with where it is on screen: its text, QR
 * codes and pictures, and the cards behind them (a rectangle within the frame under any of those).
 */
function sceneProblems(template: string, index: number, scene: VideoScene): string[] {
  // A footage scene over a photo drifts, as does a scene whose motion is drift.
  const drifts = scene.motion === 'drift' || scene.each === 'clip';
  const content = scene.elements.filter((e) => e.type !== 'rect');
  const problems: string[] = [];
  for (const [j, element] of scene.elements.entries()) {
    const card = element.type === 'rect' && !bleeds(element.box) && content.some((c) => overlaps(c.box, element.box));
    if (element.type === 'rect' && !card) continue;
    const what =
      element.type === 'text'
        ? `text ${element.bind ?? JSON.stringify(element.text)}`
        : element.type === 'rect'
          ? 'card'
          : element.type;
    for (const moving of drifts ? [false, true] : [false]) {
      const crossed = outside(onScreen(element.box, moving));
      if (crossed) {
        const b = element.box;
        problems.push(
          `${template} scene ${index} (${scene.each}${moving ? (scene.each === 'clip' ? ' over a photo, drifting' : ', drifting') : ''}) element ${j} ${what} ` +
            `[${b.x},${b.y} ${b.width}×${b.height}]: ${crossed}`,
        );
        break;
      }
    }
  }
  return problems;
}

describe("the platforms' safe area", () => {
  it('holds every video template’s text, QR code, pictures and cards, also while a scene drifts', async () => {
    const videos = (await templateChoices(templatesDir)).filter((t) => t.kind === 'video');
    expect(videos.map((t) => t.name)).toEqual(expect.arrayContaining(['job-spotlight', 'weekly-picks', 'site-visit']));
    const problems: string[] = [];
    for (const { name } of videos) {
      const { template } = await loadTemplate(templatesDir, name, 'video');
      for (const [i, scene] of template.scenes.entries()) problems.push(...sceneProblems(name, i, scene));
    }
    expect(problems).toEqual([]);
  });

  it('holds the captions (two lines at most, each within its width) and the AI label', () => {
    const ass = assSubtitles(
      [
        {
          text: '南昌洪城电子科技有限公司招聘骨干操作工，月薪四千到六千元，工作地点在南昌市青山湖区，',
          start: 0,
          end: 6,
        },
        { text: '想报名的朋友请拨打服务热线零七九一八八八八六六六六，或者扫码报名。', start: 6, end: 12 },
      ],
      { seconds: 12, aiLabel: true },
    );
    const format = (/^Format: (Name, .*)$/m.exec(ass)?.[1] ?? '').split(', ');
    const style = (name: string) => {
      const values = (new RegExp(`^Style: ${name},(.*)$`, 'm').exec(ass)?.[1] ?? '').split(',');
      return Object.fromEntries(format.map((field, i) => [field, i === 0 ? name : values[i - 1]]));
    };
    const caption = style('Caption');
    const size = Number(caption.Fontsize);
    const left = Number(caption.MarginL);
    const right = VIDEO_PROFILE.width - Number(caption.MarginR);
    const bottom = VIDEO_PROFILE.height - Number(caption.MarginV);
    // Bottom-centred between the margins (libass numpad alignment 2).
    expect(caption.Alignment).toBe('2');
    expect(right).toBeLessThanOrEqual(SAFE.right);
    expect(bottom).toBeLessThanOrEqual(SAFE.bottom);
    // Two lines of the face (about 1.45 em each with Noto Sans CJK's ascent and descent) stay below the top.
    expect(bottom - CAPTION_STYLE.maxLines * 1.5 * size).toBeGreaterThanOrEqual(SAFE.top);

    const face = fontFace('bold');
    const cues = layoutCaptions([
      { text: '工作地点在南昌市青山湖区民营科技园就业服务大厅一楼，欢迎大家前来咨询报名', start: 0, end: 5 },
    ]);
    const shown = [...ass.matchAll(/^Dialogue: 0,[^,]*,[^,]*,Caption,,0,0,0,,(.*)$/gm)].map((m) => m[1] as string);
    expect(shown.length).toBeGreaterThan(0);
    for (const lines of [...shown.map((text) => text.split('\\N')), ...cues.map((cue) => cue.lines)]) {
      expect(lines.length).toBeLessThanOrEqual(2);
      for (const line of lines) expect(face.width(line, size), line).toBeLessThanOrEqual(right - left);
    }

    // The AI label: top left, below the apps' top bar, clear of the right-hand buttons (box padding included).
    const label = style('AiLabel');
    expect(label.Alignment).toBe('7');
    expect(Number(label.MarginV)).toBeGreaterThanOrEqual(SAFE.top);
    const labelRight =
      Number(label.MarginL) + face.width(AI_LABEL_TEXT, Number(label.Fontsize)) + 2 * Number(label.Outline);
    expect(labelRight).toBeLessThanOrEqual(SAFE.right);
  });
});

/** The text drawn in a scene, markup and line breaks left out (a field broken over two lines reads whole). */
function drawnText(svg: string): string {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)]
    .map((m) => (m[1] as string).replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))))
    .join('');
}

const count = (text: string, part: string) => text.split(part).length - 1;

describe("each job's scene", () => {
  const jobs = ['叉车司机', '电工', '缝纫工'].map((title, i) =>
    samplePosterJob({ id: i + 1, title, employer: `甲乙丙公司${i}`, location: `青山湖区${i}号` }),
  );

  it('in weekly-picks, names its own employer once and its location', async () => {
    const loaded = await loadTemplate(templatesDir, 'weekly-picks', 'video');
    const { planned, svgs } = await videoSceneSvgs(loaded, jobs, samplePosterSite);
    const jobScenes = planned.flatMap((p, i) =>
      p.job === null ? [] : [{ job: p.job, text: drawnText(svgs[i] ?? '') }],
    );
    expect(jobScenes.map((s) => s.job)).toEqual([0, 1, 2]);
    for (const { job, text } of jobScenes) {
      const own = jobs[job] as (typeof jobs)[number];
      expect(count(text, own.employer), `scene of ${own.title}: ${text}`).toBe(1);
      expect(text, `scene of ${own.title}`).toContain(own.location);
      expect(text).toContain(own.title);
      for (const other of jobs.filter((j) => j !== own)) expect(text).not.toContain(other.employer);
    }
  });

  it('in every job template, never prints the employer twice in one scene', async () => {
    const videos = (await templateChoices(templatesDir)).filter((t) => t.kind === 'video');
    for (const { name } of videos) {
      const loaded = await loadTemplate(templatesDir, name, 'video');
      const { min, max } = loaded.template.jobs;
      if (max === 0) continue;
      const shown = jobs.slice(0, Math.max(min, Math.min(max, jobs.length)));
      const explainer = loaded.template.scenes.some((s) => s.each === 'point')
        ? { title: '社保补贴', points: ['补贴对象说明', '补贴标准说明', '申领方式说明'] }
        : undefined;
      const { planned, svgs } = await videoSceneSvgs(loaded, shown, samplePosterSite, { clips: 2, explainer });
      for (const [i, p] of planned.entries()) {
        const job = shown[p.job ?? 0] as (typeof jobs)[number];
        expect(count(drawnText(svgs[i] ?? ''), job.employer), `${name} scene ${i}`).toBeLessThanOrEqual(1);
      }
    }
  });
});
