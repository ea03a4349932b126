// The time range and granularity controls of the usage screens, and the UTC buckets a range is cut into.
import {h, field, select} from './dom.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
export const PRESETS = [
  ['24h', 'Last 24 hours', 'hour'], ['7d', 'Last 7 days', 'hour'], ['30d', 'Last 30 days', 'day'],
  ['month', 'This month', 'day'], ['custom', 'Custom', null],
];

/** {fields (nodes for a form), params() → {from, to, granularity}} */
export function rangeControls({granularity = true} = {}) {
  const preset = select('range', PRESETS.map(([v, label]) => [v, label]), '24h');
  const from = h('input', {type: 'datetime-local', name: 'from', step: 3600});
  const to = h('input', {type: 'datetime-local', name: 'to', step: 3600});
  const gran = select('granularity', [['hour', 'Hour'], ['day', 'Day']], 'hour');
  const custom = [field('From (UTC)', from), field('To (UTC)', to)];
  const showCustom = () => custom.forEach(f => { f.hidden = preset.value !== 'custom'; });
  preset.addEventListener('change', () => {
    const chosen = PRESETS.find(p => p[0] === preset.value);
    if (chosen[2]) gran.value = chosen[2];
    showCustom();
  });
  showCustom();
  const params = () => {
    const now = Date.now();
    const end = Math.ceil(now / HOUR) * HOUR;
    const iso = t => new Date(t).toISOString().replace(/\.\d+Z$/, 'Z');
    const local = v => (v ? new Date(v + 'Z').toISOString().replace(/\.\d+Z$/, 'Z') : '');
    const g = granularity ? gran.value : 'day';
    switch (preset.value) {
      case '24h': return {from: iso(end - DAY), to: iso(end), granularity: g};
      case '7d': return {from: iso(end - 7 * DAY), to: iso(end), granularity: g};
      case '30d': return {from: iso(Math.floor(now / DAY) * DAY - 29 * DAY), to: iso(end), granularity: g};
      case 'month': {
        const d = new Date(now);
        return {from: iso(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)), to: iso(end), granularity: g};
      }
      default: return {from: local(from.value), to: local(to.value), granularity: g};
    }
  };
  return {fields: [field('Range', preset), ...custom, granularity ? field('Granularity', gran) : null], params};
}

/** The bucket starts (ms) of [from, to) at an hour or a day, UTC. */
export function buckets(fromIso, toIso, granularity) {
  const step = granularity === 'day' ? DAY : HOUR;
  const start = Math.floor(Date.parse(fromIso) / step) * step;
  const end = Date.parse(toIso);
  const out = [];
  for (let t = start; t < end && out.length < 10_000; t += step) out.push(t);
  return out;
}

/** A bucket's label: "11-30 14:00" for hours, "2026-11-30" for days. */
export function bucketLabel(t, granularity) {
  const iso = new Date(t).toISOString();
  return granularity === 'day' ? iso.slice(0, 10) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}
