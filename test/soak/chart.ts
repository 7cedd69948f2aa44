/** A small hand-made SVG line chart: stacked panels, one polyline per series, over a shared time axis. */
export interface Panel {
  title: string;
  unit: string;
  series: Array<{ name: string; points: Array<[t: number, value: number]> }>;
}

const WIDTH = 900;
const PANEL_HEIGHT = 220;
const MARGIN = { left: 70, right: 200, top: 30, bottom: 30 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const num = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : n.toPrecision(3));

function panel(p: Panel, top: number, tMax: number): string {
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const values = p.series.flatMap((s) => s.points.map(([, v]) => v)).filter(Number.isFinite);
  const yMax = values.length > 0 ? Math.max(...values) * 1.1 || 1 : 1;
  const x = (t: number) => MARGIN.left + (tMax > 0 ? (t / tMax) * plotW : 0);
  const y = (v: number) => top + MARGIN.top + plotH - (v / yMax) * plotH;
  const out: string[] = [`<text x="${MARGIN.left}" y="${top + 18}" font-weight="bold">${esc(p.title)} (${esc(p.unit)})</text>`];
  out.push(`<rect x="${MARGIN.left}" y="${top + MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`);
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    out.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/>`);
    out.push(`<text x="${MARGIN.left - 6}" y="${y(v) + 4}" text-anchor="end">${num(v)}</text>`);
  }
  for (let i = 0; i <= 6; i++) {
    const t = (tMax * i) / 6;
    out.push(`<text x="${x(t)}" y="${top + PANEL_HEIGHT - 10}" text-anchor="middle">${(t / 60).toFixed(1)} min</text>`);
  }
  p.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    const pts = s.points.filter(([, v]) => Number.isFinite(v)).map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`);
    if (pts.length > 0) out.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.join(' ')}"/>`);
    const ly = top + MARGIN.top + 14 + i * 18;
    out.push(`<line x1="${WIDTH - MARGIN.right + 12}" x2="${WIDTH - MARGIN.right + 32}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="2"/>`);
    out.push(`<text x="${WIDTH - MARGIN.right + 38}" y="${ly}">${esc(s.name)}</text>`);
  });
  return out.join('\n');
}

/** The panels one above the other, time (minutes since publishing started) across. */
export function renderChart(title: string, panels: readonly Panel[]): string {
  const tMax = Math.max(1, ...panels.flatMap((p) => p.series.flatMap((s) => s.points.map(([t]) => t))));
  const height = 30 + panels.length * PANEL_HEIGHT;
  const body = panels.map((p, i) => panel(p, 30 + i * PANEL_HEIGHT, tMax)).join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="${MARGIN.left}" y="20" font-size="15" font-weight="bold">${esc(title)}</text>
${body}
</svg>
`;
}
