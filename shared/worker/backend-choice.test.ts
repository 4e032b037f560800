import { describe, expect, it } from 'vitest';
import { backendsToTry, isSoftwareRenderer } from './backend-choice.ts';

describe('choosing the training backend', () => {
  it.each([
    'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
    'llvmpipe (LLVM 15.0.6, 256 bits)',
    'Microsoft Basic Render Driver',
  ])('takes %j for a software renderer: auto trains on wasm', (renderer) => {
    expect(isSoftwareRenderer(renderer)).toBe(true);
    expect(backendsToTry('auto', renderer).order).toEqual(['wasm', 'cpu']);
  });

  it('takes WebGL first on a real GPU, and nothing but what the user names', () => {
    const gpu = 'ANGLE (NVIDIA, NVIDIA H100 80GB HBM3 Direct3D11 vs_5_0 ps_5_0, D3D11)';
    expect(isSoftwareRenderer(gpu)).toBe(false);
    expect(backendsToTry('auto', gpu).order).toEqual(['webgl', 'wasm', 'cpu']);
    expect(backendsToTry('auto', null).order).toEqual(['wasm', 'cpu']);
    expect(backendsToTry('webgl', 'SwiftShader')).toEqual({ order: ['webgl'], why: null });
  });

  it('says why auto chose as it did', () => {
    const swiftShader =
      'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)';
    expect(backendsToTry('auto', swiftShader).why).toBe('software WebGL (SwiftShader): wasm is faster here');
    expect(backendsToTry('auto', null).why).toBe('no WebGL2 here: wasm');
  });
});
