/** 为什么某个 tfjs 计算后端用不了，用中文说明：后端标记和 NO_BACKEND 消息共用。 */
import type * as en from '../backend-failures';

export const BACKEND_NAMES: typeof en.BACKEND_NAMES = {
  webgpu: 'WebGPU',
  wasm: 'WASM',
  webgl: 'WebGL',
  cpu: 'CPU',
};

export const backendFailureText: typeof en.backendFailureText = (failure) => {
  switch (failure.kind) {
    case 'noWebGPU':
      return '这个浏览器不支持 WebGPU（没有 navigator.gpu）';
    case 'noOffscreenCanvas':
      return '这个环境没有 OffscreenCanvas，所以无法创建 WebGL 上下文';
    case 'noAdapter':
      return '浏览器提供了 WebGPU，但找不到 GPU 适配器';
    case 'softwareAdapter':
      return '唯一的 WebGPU 适配器是软件实现的（SwiftShader，在 CPU 上模拟的 GPU），比 WASM 还慢';
    case 'initFailed':
      return '它初始化失败了';
    case 'threw':
      // 后端自己的原文（通常是英文）。
      return failure.detail;
    case 'lost':
      return `${failure.reason === 'destroyed' ? '显卡已对这个标签页关闭' : '与显卡的连接丢失了'}：${failure.detail}`;
  }
};

/** “WebGPU：这个浏览器不支持 WebGPU（没有 navigator.gpu）”。 */
export const backendAttemptText: typeof en.backendAttemptText = (attempt) =>
  `${BACKEND_NAMES[attempt.backend]}：${backendFailureText(attempt.failure)}`;

/** 一句话：引擎为什么在这个后端上运行，而不是在排在它前面的后端上。 */
export const backendReason: typeof en.backendReason = (choice) => {
  const name = BACKEND_NAMES[choice.backend];
  if (choice.attempts.length === 0) return `${name} 是首选，并且已经启动。`;
  const above = choice.attempts.map((a) => BACKEND_NAMES[a.backend]).join('、');
  return `选用了 ${name}，因为 ${above} ${choice.attempts.length === 1 ? '' : '都'}用不了。`;
};
