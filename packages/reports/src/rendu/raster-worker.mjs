// The Word charts' rasterisation, in a worker thread: resvg draws each chart on the libuv thread pool, but its PNG
// encoding (`asPng`) is synchronous native code that took most of the step on the main thread (about 2,4 s of
// processor for the 33 charts of an EPCI bilan), while the workbook and the Word document are written there.
// Plain JavaScript, so the worker starts the same way under tsx, vitest or compiled code. Input and output: raster.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { renderAsync } from '@resvg/resvg-js';

const { svgs, options } = workerData;
try {
  const pngs = await Promise.all(svgs.map(async (svg) => (await renderAsync(svg, options)).asPng()));
  const octets = pngs.map((png) => new Uint8Array(png.buffer, png.byteOffset, png.byteLength));
  parentPort.postMessage({ pngs: octets });
} catch (error) {
  parentPort.postMessage({ erreur: error instanceof Error ? error.message : String(error) });
}
