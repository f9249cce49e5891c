import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/classify/engine.js';
import { main } from '../../src/cli/main.js';
import { renderReport } from '../../src/report/html.js';
import { report } from '../../src/cli/report.js';
import { ROOT } from '../helpers/packs.js';

async function run(args: string[]): Promise<{ code: number; err: string }> {
  const stderr = new PassThrough();
  const chunks: Buffer[] = [];
  stderr.on('data', (c: Buffer) => chunks.push(c));
  const code = await main(args, { stdin: Readable.from(['']), stdout: new PassThrough(), stderr, stderrIsTTY: false });
  return { code, err: Buffer.concat(chunks).toString() };
}

const tmp = mkdtempSync(join(tmpdir(), 'hr-report-'));
const findings = join(ROOT, 'examples', 'findings.ndjson');
const enterprise = join(tmp, 'enterprise.json');
writeFileSync(enterprise, JSON.stringify({ 名称: '浏阳市示例烟花爆竹有限公司', 统一社会信用代码: '91430181MA4XXXXXXX' }));

/**
 * A stand-in for Chart.js's UMD build (not yet a dependency): it takes the same call,
 * `new Chart(canvas, config)`, draws the bars, and records what it drew on the canvas.
 */
const FAKE_CHART = `window.Chart = function (canvas, config) {
  var ctx = canvas.getContext('2d'); var rows = config.data.labels.length;
  config.data.datasets.forEach(function (d, k) { ctx.fillStyle = d.backgroundColor;
    d.data.forEach(function (n, i) { ctx.fillRect(100 + k * 200, 20 + i * 28, 40 * n + 1, 20); }); });
  canvas.setAttribute('data-drawn', String(rows) + ' rows; "</script>" safe');
};`;

async function reportWith(chartLibrary: string | undefined, out: string): Promise<number> {
  const sink = new PassThrough();
  sink.resume();
  return report({ stdin: Readable.from(['']), stdout: sink, stderr: sink, stderrIsTTY: false }, findings, { output: out, enterprise, ...(chartLibrary ? { chartLibrary } : {}) });
}

describe('hazard-rules report', () => {
  it('writes a self-contained page: verdicts, what is missing, counts by group, editions', async () => {
    const out = join(tmp, 'report.html');
    const { code, err } = await run(['report', findings, '--enterprise', enterprise, '-o', out]);
    expect(err).toContain('6 finding(s) reported, 0 line(s) could not be judged');
    expect(code).toBe(0);
    const html = readFileSync(out, 'utf8');
    for (const id of ['enterprise-table', 'group-table', 'major-table', 'undetermined-table', 'general-table', 'editions-table']) expect(html).toContain(`id="${id}"`);
    expect(html).toContain('四、工（库）房实际作业人员数量超过核定人数。');
    expect(html).toContain('浏阳市示例烟花爆竹有限公司');
    expect(html).toContain('安监总管三〔2017〕121号');
    expect(html).toMatch(/<b id="count-major">3<\/b>/);
    // No network: no external resource of any kind, and a CSP that forbids fetching.
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).toContain(`default-src 'none'`);
    expect(html).not.toContain('id="grade"');
  });

  it('lists lines that cannot be judged, and exits 2', async () => {
    const bad = join(tmp, 'bad.ndjson');
    writeFileSync(bad, `${readFileSync(findings, 'utf8').split('\n')[0]}\n{"standard":"fireworks","facts":{"nope":1}}\nnot json\n`);
    const out = join(tmp, 'bad.html');
    const { code, err } = await run(['report', bad, '-o', out]);
    expect(code).toBe(2);
    expect(err).toContain('bad.ndjson:2: unknown-fact');
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('id="errors-table"');
    expect(html).toContain('invalid-json');
  });

  it('with a chart library, inlines it and draws the counts by group (table kept); without, says so', async () => {
    const out = join(tmp, 'chart.html');
    expect(await reportWith(FAKE_CHART, out)).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('data-chart="chart.js"');
    expect(html).toContain('<canvas id="group-chart"');
    expect(html).toContain(`script-src 'unsafe-inline'`);
    expect(html).toContain('id="group-table"');
    expect(html).not.toContain('"</script>" safe'); // a closing tag inside the library is escaped
    const plain = renderReport({ generated_at: 'x', items: [], packs: [] });
    expect(plain).toContain('no chart library');
    expect(plain).not.toContain('<script');
  });

  it('refuses a missing -o (usage)', async () => {
    expect((await run(['report', findings])).code).toBe(64);
  });

  it('renders the grade section when a grade is given (the hook for src/grade/), escaping what it shows', () => {
    const engine = createEngine();
    const finding = { id: '<b>x</b>', standard: 'fireworks', observed_at: '2026-03-02', facts: { actual_persons_present: 8, approved_max_persons: 6 } };
    const html = renderReport({
      generated_at: '2026-12-01T00:00:00Z',
      items: [{ finding, verdict: engine.classify(finding) }],
      packs: engine.packs,
      grade: { title: '分级', level: 'B', rows: [{ item: 'a', score: 3 }] },
    });
    expect(html).toContain('<section id="grade">');
    expect(html).toContain('<b id="grade-level">B</b>');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(html).not.toContain('<b>x</b>');
  });
});

// Debian's chromium; .ci/run installs it when missing. Skipped only where it is not installed
// (and cannot be: a machine without apt or network), so that `npm test` still runs elsewhere.
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

/** Distinct byte values in the PNG's decoded pixel rows: a blank page has one or two. */
function pngVariety(png: Buffer): number {
  expect(png.subarray(1, 4).toString()).toBe('PNG');
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.subarray(at + 4, at + 8).toString();
    if (type === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const pixels = inflateSync(Buffer.concat(idat));
  const seen = new Set<number>();
  for (let i = 0; i < pixels.length; i += 7) seen.add(pixels[i]!);
  return seen.size;
}

describe.skipIf(!CHROMIUM)('the report in headless Chromium', () => {
  const flags = (dir: string) => [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    `--user-data-dir=${dir}`,
    '--enable-logging=stderr',
    '--v=0',
  ];

  it('renders its tables and chart without console errors, and the screenshot is not blank', async () => {
    const out = join(tmp, 'browser.html');
    expect((await run(['report', findings, '--enterprise', enterprise, '-o', out])).code).toBe(0);
    const url = `file://${out}`;
    const dom = spawnSync(CHROMIUM!, [...flags(mkdtempSync(join(tmpdir(), 'hr-chromium-'))), '--dump-dom', url], { encoding: 'utf8', timeout: 60_000 });
    expect(dom.status).toBe(0);
    expect(dom.stdout).toContain('id="major-table"');
    expect(dom.stdout).toContain('id="group-table"');
    expect(dom.stdout).toContain('id="chart-by-group"');
    // Every console message (errors, CSP violations) is logged as CONSOLE; the page has no scripts.
    expect(dom.stderr.split('\n').filter((l) => l.includes(':CONSOLE'))).toEqual([]);

    const shot = join(tmp, 'report.png');
    const r = spawnSync(CHROMIUM!, [...flags(mkdtempSync(join(tmpdir(), 'hr-chromium-'))), `--screenshot=${shot}`, '--window-size=1200,900', url], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l.includes(':CONSOLE'))).toEqual([]);
    expect(pngVariety(readFileSync(shot))).toBeGreaterThan(20);
  });

  it('runs the inlined chart library under the page CSP, without console errors', async () => {
    const out = join(tmp, 'browser-chart.html');
    expect(await reportWith(FAKE_CHART, out)).toBe(0);
    const dom = spawnSync(CHROMIUM!, [...flags(mkdtempSync(join(tmpdir(), 'hr-chromium-'))), '--dump-dom', `file://${out}`], { encoding: 'utf8', timeout: 60_000 });
    expect(dom.status).toBe(0);
    expect(dom.stdout).toMatch(/<canvas id="group-chart"[^>]*data-drawn="5 rows; &quot;&lt;\/script&gt;&quot; safe"/);
    expect(dom.stderr.split('\n').filter((l) => l.includes(':CONSOLE'))).toEqual([]);
  });
});
