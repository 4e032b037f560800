/** How counts, FLOPs and bytes read everywhere: the summary, the canvas, diagrams and diagnostics. */

export const formatCount = (n: number): string => n.toLocaleString('en-US');

export function formatFlops(n: number): string {
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  const [scale, unit] = units.find(([s]) => n >= s) ?? [1, ''];
  return `${(n / scale).toFixed(scale === 1 ? 0 : 2)}${unit}`;
}

export function formatBytes(n: number): string {
  const units: [number, string][] = [
    [2 ** 30, 'GiB'],
    [2 ** 20, 'MiB'],
    [2 ** 10, 'KiB'],
  ];
  const [scale, unit] = units.find(([s]) => n >= s) ?? [1, 'B'];
  return `${(n / scale).toFixed(scale === 1 ? 0 : 1)} ${unit}`;
}
