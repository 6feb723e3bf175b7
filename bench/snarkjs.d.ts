// snarkjs ships no declarations; the sidebyside bench calls only these.
declare module 'snarkjs' {
  export const groth16: {
    prove(zkeyPath: string, wtnsPath: string): Promise<{ proof: object; publicSignals: string[] }>;
    verify(vk: object, publicSignals: string[], proof: object): Promise<boolean>;
  };
}
