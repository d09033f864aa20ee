/**
 * Exact decimal arithmetic for the quartile rules: money is held in cents and the weights of the
 * consumption units as scaled integers, all as bigint. The Q1 test compares two products of integers,
 * so a household exactly at the threshold is Q1 whatever binary floating point would have said.
 */

/** Decimal digits kept for the UC weights (`uc` of cia.yaml): 0.5 and 0.3 need one, 6 is a generous cap. */
export const MAX_WEIGHT_DIGITS = 6;

/** A decimal number written in plain notation, as DuckDB prints DECIMAL values (`1234.50`, `-3`). */
const PLAIN_DECIMAL = /^([+-]?)(\d+)(?:\.(\d*))?$/;

/**
 * `value × 10^digits` as a bigint, rounded half away from zero like DuckDB's cast to DECIMAL.
 * Accepts a number (converted through its shortest decimal representation), a decimal string or a bigint.
 */
export function toScaled(value: number | string | bigint, digits: number): bigint {
  if (typeof value === 'bigint') return value * 10n ** BigInt(digits);
  const text = typeof value === 'number' ? numberToPlain(value) : value.trim();
  const match = PLAIN_DECIMAL.exec(text);
  if (!match) throw new RangeError(`nombre décimal illisible : ${text}`);
  const [, sign = '', whole = '0', frac = ''] = match;
  const kept = BigInt(whole + frac.padEnd(digits, '0').slice(0, digits));
  const roundUp = Number(frac[digits] ?? '0') >= 5 ? 1n : 0n;
  const magnitude = kept + roundUp;
  return sign === '-' ? -magnitude : magnitude;
}

/** Money in cents (the store keeps money as DECIMAL(18,2)). */
export const toCents = (value: number | string | bigint): bigint => toScaled(value, 2);

/** The number of decimal digits of a weight (capped at MAX_WEIGHT_DIGITS). */
export function decimalDigits(value: number): number {
  for (let digits = 0; digits < MAX_WEIGHT_DIGITS; digits++) {
    if (Number(value.toFixed(digits)) === value) return digits;
  }
  return MAX_WEIGHT_DIGITS;
}

/** A finite number in plain (non-exponent) decimal notation, exactly as its shortest representation. */
function numberToPlain(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`nombre non fini : ${value}`);
  const text = String(value);
  if (!/e/i.test(text)) return text;
  // 1e-7 or 1.5e+21: rebuild the digits without going through toFixed's binary expansion.
  const [mantissa = '0', exponentText = '0'] = text.toLowerCase().split('e');
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith('-');
  const [intPart = '0', fracPart = ''] = mantissa.replace(/^[+-]/, '').split('.');
  const digits = intPart + fracPart;
  const point = intPart.length + exponent;
  let plain: string;
  if (point <= 0) plain = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) plain = digits + '0'.repeat(point - digits.length);
  else plain = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${plain}` : plain;
}

/** Compares the fraction a/b with c/d (b, d > 0) exactly: -1, 0 or 1. */
export function compareFractions(a: bigint, b: bigint, c: bigint, d: bigint): -1 | 0 | 1 {
  const left = a * d;
  const right = c * b;
  return left < right ? -1 : left > right ? 1 : 0;
}
