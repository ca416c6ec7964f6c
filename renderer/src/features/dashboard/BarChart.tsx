// A small hand-written SVG chart: horizontal bars, one or more stacked series per row, a legend, and a visually
// hidden table with every number as the text alternative (the SVG itself is one labelled image).
import type { ReactElement } from 'react';

export type Series = { readonly key: string; readonly label: string; readonly color: string };
export type BarRow = {
  readonly label: string;
  /** One value per series, in the order of `series`. */
  readonly values: readonly number[];
  /** Shown after the bar and as the table's last column (for example "3 overdue"). */
  readonly note?: string;
};

const ROW = 30;
const BAR = 18;
const LABEL_WIDTH = 230;
const BAR_WIDTH = 460;
const NOTE_WIDTH = 150;

export const BarChart = (props: {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  readonly series: readonly Series[];
  readonly rows: readonly BarRow[];
  readonly rowHeader: string;
  readonly noteHeader?: string;
}): ReactElement => {
  const { id, title, summary, series, rows, rowHeader, noteHeader } = props;
  const totals = rows.map((row) => row.values.reduce((sum, value) => sum + value, 0));
  const max = Math.max(1, ...totals);
  const height = Math.max(1, rows.length) * ROW + 8;
  const width = LABEL_WIDTH + BAR_WIDTH + NOTE_WIDTH;
  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      {series.length > 1 && (
        <ul className="chart-legend" aria-hidden="true">
          {series.map((entry) => (
            <li key={entry.key}>
              <span className="swatch" style={{ background: entry.color }} />
              {entry.label}
            </li>
          ))}
        </ul>
      )}
      <svg
        role="img"
        aria-label={`${title}. ${summary} The numbers are in the table that follows.`}
        viewBox={`0 0 ${width} ${height}`}
        width={width}
        height={height}
        className="chart-svg"
        data-chart={id}
      >
        {rows.map((row, index) => {
          const y = index * ROW + 4;
          let x = LABEL_WIDTH;
          return (
            <g key={row.label} data-row={row.label}>
              <text
                x={LABEL_WIDTH - 8}
                y={y + BAR / 2}
                dominantBaseline="middle"
                textAnchor="end"
                className="chart-label"
              >
                {row.label}
              </text>
              <line x1={LABEL_WIDTH} x2={LABEL_WIDTH} y1={y - 4} y2={y + ROW - 4} className="chart-axis" />
              {row.values.map((value, seriesIndex) => {
                const segment = (value / max) * BAR_WIDTH;
                const rect = (
                  <rect
                    key={series[seriesIndex]?.key ?? seriesIndex}
                    x={x}
                    y={y}
                    width={segment}
                    height={BAR}
                    fill={series[seriesIndex]?.color ?? '#555'}
                    data-series={series[seriesIndex]?.key}
                    data-value={value}
                  />
                );
                x += segment;
                return rect;
              })}
              <text x={x + 6} y={y + BAR / 2} dominantBaseline="middle" className="chart-value">
                {totals[index]}
                {row.note ? ` · ${row.note}` : ''}
              </text>
            </g>
          );
        })}
      </svg>
      <table className="visually-hidden" data-chart-table={id}>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{rowHeader}</th>
            {series.map((entry) => (
              <th key={entry.key} scope="col">
                {entry.label}
              </th>
            ))}
            {series.length > 1 && <th scope="col">Total</th>}
            {noteHeader && <th scope="col">{noteHeader}</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={row.label}>
              <th scope="row">{row.label}</th>
              {row.values.map((value, seriesIndex) => (
                <td key={series[seriesIndex]?.key ?? seriesIndex}>{value}</td>
              ))}
              {series.length > 1 && <td>{totals[index]}</td>}
              {noteHeader && <td>{row.note ?? ''}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
};
