/**
 * A catalogue dataset's file from the host's /datasets/<id>/<file> route (same origin: the browser host's
 * cookie goes along, app:// needs none); null when the host has no such file.
 */
export async function fetchDatasetFile(origin: string, id: string, name: string): Promise<Uint8Array | null> {
  const response = await fetch(
    new URL(`/datasets/${encodeURIComponent(id)}/${encodeURIComponent(name)}`, origin),
  );
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`The host refused ${name} (HTTP ${response.status}).`);
  return new Uint8Array(await response.arrayBuffer());
}
