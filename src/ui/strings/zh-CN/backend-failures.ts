/** 某个计算后端为何无法启动：以数据形式给出，由页面用中文表述。 */
import type * as en from '../backend-failures';

export const BACKEND_NAMES: typeof en.BACKEND_NAMES = { webgpu: 'WebGPU', wasm: 'WASM', webgl: 'WebGL', cpu: 'CPU' };

export const backendFailureText: typeof en.backendFailureText = (failure) => {
  switch (failure.kind) {
    case 'noWebGPU':
      return '此浏览器没有 WebGPU（缺少 navigator.gpu）';
    case 'noOffscreenCanvas':
      return '此环境没有 OffscreenCanvas，因此无法创建 WebGL 上下文';
    case 'noAdapter':
      return '浏览器提供了 WebGPU，但找不到 GPU 适配器';
    case 'softwareAdapter':
      return '唯一的 WebGPU 适配器是软件实现的（SwiftShader，在 CPU 上模拟 GPU），比 WASM 还慢';
    case 'initFailed':
      return '初始化失败';
    case 'threw':
      return failure.detail;
    case 'lost':
      return `显卡${failure.reason === 'destroyed' ? '被此标签页关闭了' : '丢失了'}：${failure.detail}`;
  }
};

export const backendAttemptText: typeof en.backendAttemptText = (attempt) =>
  `${BACKEND_NAMES[attempt.backend]}：${backendFailureText(attempt.failure)}`;

export const backendReason: typeof en.backendReason = (choice) =>
  choice.attempts.length === 0
    ? `${BACKEND_NAMES[choice.backend]} 是首选，已成功启动。`
    : `选用 ${BACKEND_NAMES[choice.backend]}，因为 ${choice.attempts.map((a) => BACKEND_NAMES[a.backend]).join('、')} 无法使用。`;
