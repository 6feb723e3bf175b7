/** KZG commitments: SRS (dev or .ptau) and commitments; the multi-point opening lives in shplonk/. */
export * from './srs.ts';
export * from './kzg.ts';
export * from './ptau.ts';
