/** A rounded-up axis maximum (1, 2, 5, 10, 20, 50, …) so gridlines land on round numbers. */
export function niceMax(value: number): number {
  if (value <= 4) return Math.max(1, value);
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((m) => m * power >= value) ?? 10;
  return step * power;
}
