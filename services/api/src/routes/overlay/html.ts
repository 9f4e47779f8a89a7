import { jsonForScript } from '../../pages.ts';
import type { OverlayCard } from './card.ts';

const style = `
html, body { margin: 0; width: 1920px; height: 1080px; overflow: hidden; background: transparent; }
body { font-family: "Noto Sans CJK SC", sans-serif; color: #ffffff; }
#card { position: absolute; left: 64px; right: 64px; bottom: 56px; height: 300px; box-sizing: border-box;
  display: flex; align-items: center; gap: 40px; padding: 32px 44px; border-radius: 20px;
  background: rgba(8, 52, 118, 0.9); box-shadow: 0 8px 32px rgba(0, 0, 0, 0.35); }
#card[hidden] { display: none; }
.body { flex: 1; min-width: 0; }
.title, .employer { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.title { font-size: 68px; font-weight: 700; line-height: 1.15; }
.employer { font-size: 36px; margin-top: 6px; opacity: 0.92; }
.facts { display: flex; flex-wrap: wrap; gap: 10px 44px; margin-top: 22px; font-size: 34px; }
.fact b { color: #ffd45a; margin-right: 12px; }
.qr { flex: none; margin: 0; width: 200px; text-align: center; }
.qr img { display: block; width: 200px; height: 200px; border-radius: 10px; background: #ffffff; }
.qr figcaption { font-size: 24px; margin-top: 6px; }
`;

// Every job field is set with textContent: text from the job pool is never read as markup.
const script = `
const state = JSON.parse(document.getElementById('overlay-state').textContent);
const card = document.getElementById('card');
function node(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}
function show(job) {
  card.hidden = !job;
  if (!job) {
    card.replaceChildren();
    delete card.dataset.jobId;
    return;
  }
  const body = node('div', 'body');
  body.append(node('div', 'title', job.title), node('div', 'employer', job.employer));
  const facts = node('div', 'facts');
  for (const [label, value] of [['薪资', job.pay], ['招聘', job.headcount], ['地点', job.location], ['联系', job.contact]]) {
    if (!value) continue;
    const fact = node('span', 'fact');
    fact.append(node('b', '', label), document.createTextNode(value));
    facts.append(fact);
  }
  body.append(facts);
  const parts = [body];
  if (job.qr) {
    const qr = node('figure', 'qr');
    const image = node('img');
    image.alt = '岗位二维码';
    image.src = job.qr;
    qr.append(image, node('figcaption', '', '扫码了解更多'));
    parts.push(qr);
  }
  card.replaceChildren(...parts);
  card.dataset.jobId = String(job.jobId);
}
show(state.card);
new EventSource(state.eventsUrl).addEventListener('card', (event) => show(JSON.parse(event.data).card));
`;

/** OBS's browser source, 1920×1080: a job card in the lower third on a transparent page, or nothing. */
export function overlayHtml(page: { nonce: string; card: OverlayCard | null; eventsUrl: string }): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>岗播 · 直播岗位卡片</title>
<style nonce="${page.nonce}">${style}</style>
</head>
<body>
<div id="card" hidden></div>
<script type="application/json" id="overlay-state">${jsonForScript({ card: page.card, eventsUrl: page.eventsUrl })}</script>
<script nonce="${page.nonce}">${script}</script>
</body>
</html>
`;
}
