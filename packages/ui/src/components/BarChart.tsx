import { useUiText } from './uiText.ts';

export interface BarDatum {
  label: string;
  success: number;
  fail: number;
}

/** A small stacked bar chart (successes under failures) in plain SVG. */
export function BarChart({ data, title }: { data: BarDatum[]; title: string }) {
  const text = useUiText();
  const number = new Intl.NumberFormat(text.locale);
  const width = 560;
  const height = 180;
  const pad = { top: 10, right: 8, bottom: 26, left: 32 };
  const max = Math.max(1, ...data.map((d) => d.success + d.fail));
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const slot = innerW / Math.max(1, data.length);
  const barW = Math.max(4, slot * 0.6);
  const y = (v: number) => (v / max) * innerH;
  const summary = data.map((d) => text.barSummary(d.label, d.success, d.fail)).join('; ');
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title}. ${summary}`} preserveAspectRatio="none">
        <line x1={pad.left} x2={width - pad.right} y1={pad.top + innerH} y2={pad.top + innerH} className="axis" />
        <text x={pad.left - 6} y={pad.top + 8} className="tick" textAnchor="end">
          {number.format(max)}
        </text>
        <text x={pad.left - 6} y={pad.top + innerH} className="tick" textAnchor="end">
          {number.format(0)}
        </text>
        {data.map((d, i) => {
          const x = pad.left + i * slot + (slot - barW) / 2;
          const hs = y(d.success);
          const hf = y(d.fail);
          return (
            <g key={d.label}>
              <title>{text.barSummary(d.label, d.success, d.fail)}</title>
              <rect x={x} y={pad.top + innerH - hs} width={barW} height={hs} className="bar-success" rx={2} />
              <rect x={x} y={pad.top + innerH - hs - hf} width={barW} height={hf} className="bar-fail" rx={2} />
              <text x={x + barW / 2} y={height - 8} className="tick" textAnchor="middle">
                {d.label}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="legend">
        <span>
          <i className="swatch bar-success" /> {text.status.success}
        </span>
        <span>
          <i className="swatch bar-fail" /> {text.status.fail}
        </span>
      </figcaption>
    </figure>
  );
}
