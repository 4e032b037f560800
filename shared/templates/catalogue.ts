import { alexnet } from './alexnet.ts';
import { densenet121, densenetMini } from './densenet.ts';
import { googlenet } from './googlenet.ts';
import { lenet } from './lenet.ts';
import { nin } from './nin.ts';
import { resnet18, resnetMini } from './resnet.ts';
import { alexnet004, densenet004, googlenet004, resnet004, vgg004 } from './seed-004.ts';
import type { Template } from './template.ts';
import { googlenetTorchvision, resnet18Torchvision, vgg16Torchvision } from './torchvision.ts';
import { vgg11, vgg11Small, vgg16, vgg19, vggMini } from './vgg.ts';

export const templates: readonly Template[] = [
  lenet,
  alexnet,
  vgg11,
  vgg16,
  vgg19,
  vgg11Small,
  nin,
  googlenet,
  resnet18,
  densenet121,
  vggMini,
  resnetMini,
  densenetMini,
  resnet18Torchvision,
  googlenetTorchvision,
  vgg16Torchvision,
  alexnet004,
  vgg004,
  googlenet004,
  resnet004,
  densenet004,
];

export function findTemplate(id: string): Template | undefined {
  return templates.find((t) => t.id === id);
}
