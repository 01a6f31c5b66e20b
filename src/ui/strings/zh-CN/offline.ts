/** 已安装应用的文字：哪些模型可离线打开，以及新版本提示。 */
import type * as en from '../offline';
import { formatList } from './format';

export const offline: typeof en.offline = {
  models: (titles) => `可离线使用：${formatList(titles)}。`,
  notYet: (titles) => `${formatList(titles)}在此加载一次后即可离线使用。`,
  updateReady: '新版本已就绪',
  reload: '重新加载',
};
