// Line charts through Chart.js (lib/chartjs, MIT, vendored with its licence like Grid.js). Chart.js draws on a canvas
// and sets only the canvas's size through the CSSOM, so it runs under the portal's policy (no inline script or style).
// Every chart has a data table beside it (in a disclosure) with the same numbers: for screen readers, keyboards and
// anyone who wants the figures rather than the picture.
import '../lib/chartjs/chart.umd.min.js';
import {h, uid} from './dom.js';

const Chart = globalThis.Chart;
// Colours with at least 3:1 contrast on white, told apart by dash pattern too (not colour alone).
const SERIES = [
  {color: '#0a58ca', dash: []},
  {color: '#b42318', dash: [6, 4]},
  {color: '#116329', dash: [2, 3]},
  {color: '#8250df', dash: [10, 3, 2, 3]},
];

/**
 * A chart of series over the same labels: {title, unit, labels: [text], series: [{label, data: [number]}], type
 * ('line', the default, or 'bar'), labelHeader (the table's first column, default "Time (UTC)")}. Returns the figure
 * (a canvas with its description, and its data table); figure.chart is the Chart.
 */
export function chart({title, unit, labels, series, id, type = 'line', labelHeader = 'Time (UTC)'}) {
  const canvas = h('canvas', {role: 'img', 'aria-label': `${title}: chart, the table below holds its figures`});
  const tableId = uid('data');
  const figure = h('figure', {class: 'chart', 'data-chart': id || title},
    h('figcaption', {}, title, unit ? h('span', {class: 'muted'}, ` (${unit})`) : null),
    h('div', {class: 'chart-box'}, canvas),
    h('details', {class: 'chart-data'}, h('summary', {}, `${title}: data table`),
      dataTable(tableId, title, labelHeader, labels, series)));
  figure.chart = new Chart(canvas, {
    type,
    data: {labels, datasets: series.map((s, i) => ({label: s.label, data: s.data,
      borderColor: SERIES[i % SERIES.length].color, backgroundColor: SERIES[i % SERIES.length].color,
      borderDash: SERIES[i % SERIES.length].dash, maxBarThickness: 36, pointRadius: labels.length > 60 ? 0 : 3, tension: 0}))},
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: {mode: 'index', intersect: false},
      scales: {[type === 'bar' ? 'x' : 'y']: {beginAtZero: true, ticks: {precision: 0}}},
      plugins: {legend: {display: series.length > 1}},
      indexAxis: type === 'bar' ? 'y' : 'x',
    },
  });
  return figure;
}

function dataTable(id, title, labelHeader, labels, series) {
  return h('table', {id, class: 'plain'},
    h('caption', {class: 'sr-only'}, title),
    h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, labelHeader),
      series.map(s => h('th', {scope: 'col'}, s.label)))),
    h('tbody', {}, labels.map((label, i) => h('tr', {},
      h('th', {scope: 'row'}, label), series.map(s => h('td', {class: 'n'}, s.data[i] ?? 0))))));
}

/** Destroys the charts under a node (before its screen is replaced), so Chart.js lets go of their canvases. */
export function destroyCharts(node) {
  for (const canvas of node.querySelectorAll('canvas')) Chart.getChart(canvas)?.destroy();
}
