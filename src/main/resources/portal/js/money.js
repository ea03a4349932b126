// Amounts in minor units (as billing stores them) shown in their currency: 1234 EUR → "€12.34".
const formats = new Map();

export function money(minor, currency) {
  if (minor === null || minor === undefined) return '—';
  let format = formats.get(currency);
  if (!format) {
    try {
      format = new Intl.NumberFormat('en-US', {style: 'currency', currency});
    } catch {
      return `${minor} ${currency} (minor units)`;
    }
    formats.set(currency, format);
  }
  const digits = format.resolvedOptions().maximumFractionDigits;
  return format.format(minor / 10 ** digits);
}
