// MSM kernel thread (plain JS: Node workers do not inherit tsx; the browser's kernel worker imports it too).
// Own instance of the MSM module on its own memory; keeps the base sets it was sent (by slot key and version)
// so that repeated MSMs over the same SRS do not copy the bases again. One task per message: { id, key,
// version, bases (SharedArrayBuffer), basesBytes, scalars, scalarOffset?, scalarBytes, width, signs, signOffset?,
// c, p0, p1, w0, w1, K } → { id, sums } (per-window Jacobian sums) or { id, err }; with `fixed: true`, bases are a fixed-base table and sums the
// points s_i·G for i in [p0, p1); with `build: true`, the worker writes rows [0, rows) of the shifted-base
// table of its points [p0, p1) into `out` (engine.mjs buildShifted); with `stride`, the task runs over the
// table `table` (kept as tableKey / tableVersion; window w0 on row row0) with one bucket set. `port`: Node's parentPort or a browser worker's scope (see ../thread.ts).
import { MsmEngine } from './engine.mjs';

export function serveMsm(port, data) {
  const engine = new MsmEngine(data.module, data.layout);
  port.on('message', (m) => {
    try {
      const slot = engine.loadBases(m.key, m.version, new Uint8Array(m.bases, 0, m.basesBytes));
      if (m.build) {
        engine.buildShifted(slot, m.c, m.rows, m.N, m.p0, m.p1, new Uint8Array(m.out));
        const none = new Uint8Array(0);
        port.postMessage({ id: m.id, sums: none }, [none.buffer]);
        return;
      }
      // A batch (pool.ts runMany) sends each MSM's scalars and signs at an offset in one shared buffer.
      const scalars = new Uint8Array(m.scalars, m.scalarOffset ?? 0, m.scalarBytes);
      const signs = m.signs ? new Uint8Array(m.signs, m.signOffset ?? 0, m.p1) : null;
      const sums = m.fixed
        ? engine.fixedBase(slot, scalars, m.p0, m.p1)
        : m.stride
          ? engine.run(engine.loadTable(m.tableKey, m.tableVersion, new Uint8Array(m.table), m.stride), scalars, m.width, null, m.c, m.p0, m.p1, m.w0, m.w1, m.K, m.stride, m.row0)
          : engine.run(slot, scalars, m.width, signs, m.c, m.p0, m.p1, m.w0, m.w1, m.K);
      port.postMessage({ id: m.id, sums }, [sums.buffer]);
    } catch (e) {
      port.postMessage({ id: m.id, err: String(e && e.stack ? e.stack : e) });
    }
  });
  port.postMessage('ready');
}
