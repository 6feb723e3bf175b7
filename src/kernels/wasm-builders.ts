/**
 * The WASM code builders the kernels generate their modules with: wasmbuilder's ModuleBuilder and
 * wasmcurves' Montgomery field, FFT and Jacobian-curve generators. Imported statically (not through
 * createRequire) so that a browser bundler can follow them; they ship no type declarations, hence the
 * loose types (vendor.d.ts declares the modules).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { ModuleBuilder as Builder } from 'wasmbuilder';
import f1m from 'wasmcurves/src/build_f1m.js';
import fft from 'wasmcurves/src/build_fft.js';
import curve from 'wasmcurves/src/build_curve_jacobian_a0.js';

export const ModuleBuilder = Builder as new () => any;
/** Montgomery field `prefix_*` over modulus q (with its integer helpers `intPrefix_*`). */
export const buildF1m = f1m as (m: any, q: bigint, prefix: string, intPrefix?: string) => string;
export const buildFFT = fft as (m: any, prefix: string, gPrefix: string, fPrefix: string, opMul: string) => void;
/** Jacobian curve y² = x³ + b (a = 0) over a field built by buildF1m; pB: address of b. */
export const buildCurve = curve as (m: any, prefix: string, field: string, pB: number) => string;
