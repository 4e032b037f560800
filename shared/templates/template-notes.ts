/**
 * What the start screen tells about each template: its family, and what the seed article it comes from says
 * about it, in a sentence or two of our own words (the articles are in Chinese). Keyed by template id, apart
 * from the templates' code, so a new template only adds its line here (a test asks every one for a note).
 */

/** The families, in the order the networks came: the start screen groups and filters by them. */
export const templateFamilies = [
  'LeNet',
  'AlexNet',
  'VGG',
  'NiN',
  'GoogLeNet',
  'ResNet',
  'DenseNet',
] as const;
export type TemplateFamily = (typeof templateFamilies)[number];

/** The five seed articles Blockwise follows, by the number the project calls them. */
export const seedArticles = {
  '000': 'VGG: networks made of blocks (d2l, PyTorch)',
  '001': 'VGG: why blocks, VGG-16 and -19, the model zoo',
  '002': "d2l's modern CNNs: LeNet to GoogLeNet (PyTorch)",
  '003': 'VGG in MXNet, trained on Fashion-MNIST',
  '004': 'CNNs on CIFAR-10 in PyTorch: AlexNet to DenseNet',
} as const;
export type SeedArticle = keyof typeof seedArticles;

export interface TemplateNote {
  family: TemplateFamily;
  article: SeedArticle;
  /** What the article says about the network, or (for Blockwise's own small ones) about its idea. */
  says: string;
}

export const templateNotes: Readonly<Record<string, TemplateNote>> = {
  lenet: {
    family: 'LeNet',
    article: '002',
    says: 'One of the first convolutional networks, made to read handwritten digits (ATMs read cheques with it). Two sigmoid convolutions with average pooling encode the image; three Dense layers classify it.',
  },
  alexnet: {
    family: 'AlexNet',
    article: '002',
    says: 'The 2012 ImageNet winner that showed learned features beat hand-made ones, trained on two GPUs. Deeper than LeNet (five convolutions, three Dense layers), with ReLU instead of sigmoid, dropout and image augmentation.',
  },
  vgg11: {
    family: 'VGG',
    article: '000',
    says: 'One block, repeated: 3×3 convolutions with padding 1, then 2×2 max pooling that halves the size as the channels double. Five blocks take 224 down to 7; at equal cost, deep and narrow 3×3 stacks beat shallower 5×5 ones.',
  },
  vgg16: {
    family: 'VGG',
    article: '001',
    says: 'The same VGG blocks, repeated more: 13 convolutions. In the model-zoo chart VGG is far more accurate than AlexNet at a fifth to a sixth of its speed and with much more memory.',
  },
  vgg19: {
    family: 'VGG',
    article: '001',
    says: 'The deepest common VGG, 16 convolutions. One block repeated a different number of times gives a whole family, from light and fast to heavy, slow and more accurate.',
  },
  'vgg11-small': {
    family: 'VGG',
    article: '003',
    says: 'VGG-11 with a quarter of the channels, small enough for Fashion-MNIST. The article trains VGG-11 on it at 96×96 (SGD 0.01, batch 128, Xavier): test accuracy climbs from 0.585 to 0.847 in five epochs.',
  },
  nin: {
    family: 'NiN',
    article: '002',
    says: 'No Dense layers at all: each NiN block follows a convolution with two 1×1 convolutions, a small fully connected network at every pixel. The last block has one channel per class, averaged into the scores.',
  },
  googlenet: {
    family: 'GoogLeNet',
    article: '002',
    says: 'Inception blocks run four paths side by side (1×1, 3×3 and 5×5 convolutions and max pooling, 1×1 convolutions cutting channels) and concatenate them. Nine of them, then global average pooling instead of a Dense head.',
  },
  resnet18: {
    family: 'ResNet',
    article: '004',
    says: 'Residual blocks add their input back after two convolutions, so the gradient reaches early layers instead of vanishing. This is d2l’s ResNet-18 built from them; the article’s ResNet reaches 80% on CIFAR-10 in 20 epochs.',
  },
  densenet121: {
    family: 'DenseNet',
    article: '004',
    says: 'Each layer’s output is concatenated to everything before it, so early and late features train together; transition layers (1×1 convolution, 2×2 pooling) keep the channels from piling up. 83% on CIFAR-10 in 20 epochs.',
  },
  'vgg-mini': {
    family: 'VGG',
    article: '000',
    says: 'Blockwise’s own small VGG for 28×28 images, not in the articles: the VGG block’s rule (3×3 convolutions, then halve the size and double the channels) three times, so it trains in minutes.',
  },
  'resnet-mini': {
    family: 'ResNet',
    article: '004',
    says: 'Blockwise’s own small ResNet for 28×28 images, not in the articles, built from the residual blocks the article explains: the shortcut around each pair of convolutions keeps the gradient alive.',
  },
  'densenet-mini': {
    family: 'DenseNet',
    article: '004',
    says: 'Blockwise’s own small DenseNet for 28×28 images, not in the articles: two of the article’s dense blocks, each layer’s output concatenated to its input, with a transition halving the size between them.',
  },
  'resnet18-torchvision': {
    family: 'ResNet',
    article: '004',
    says: 'torchvision’s ResNet-18, whose weights port one to one. Its residual blocks are the article’s idea: the input skips two convolutions and is added back, so a deep network still learns.',
  },
  'vgg16-torchvision': {
    family: 'VGG',
    article: '001',
    says: 'torchvision’s VGG-16, layer by layer under torchvision’s own names, so ImageNet weights load into it. The article reads it in the model zoo: far more accurate than AlexNet, slower, and heavy on memory.',
  },
  'googlenet-torchvision': {
    family: 'GoogLeNet',
    article: '002',
    says: 'torchvision’s GoogLeNet, with BatchNorm in every unit. Its Inception blocks are the ones the article explains: 1×1, 3×3 and 5×5 convolutions and pooling side by side, concatenated along the channels.',
  },
  'alexnet-004': {
    family: 'AlexNet',
    article: '004',
    says: 'The article’s first CIFAR-10 network: two 5×5 convolutions with max pooling, then three Dense layers. With SGD and images scaled to [−1, 1] it reaches 71% test accuracy in 20 epochs.',
  },
  'vgg-004': {
    family: 'VGG',
    article: '004',
    says: 'The article’s VGG for CIFAR-10: five VGG blocks (1, 1, 2, 2, 2 convolutions, 64 to 512 channels) take 32×32 down to 1×1, then Dense 100 and 10. Deeper, with small kernels, it reaches 77% in 20 epochs, ahead of its AlexNet.',
  },
  'googlenet-004': {
    family: 'GoogLeNet',
    article: '004',
    says: 'The article’s GoogLeNet: each Inception widens the channels at the same size (3×96×96 to 256×96×96), BatchNorm in every unit. After 20 epochs it is level with VGG; the article says it pulls ahead with longer training.',
  },
  'resnet-004': {
    family: 'ResNet',
    article: '004',
    says: 'The article’s ResNet: shortcuts let the gradient pass by the layers, so it does not vanish. 80% on CIFAR-10 after 20 epochs, ahead of the simpler networks and quicker to train than a deep net without shortcuts.',
  },
  'densenet-004': {
    family: 'DenseNet',
    article: '004',
    says: 'The article’s DenseNet: each layer’s new features are concatenated before everything it read (growth 32, blocks of 6, 12, 24 and 16), with transitions halving size and channels. 83% after 20 epochs, the best of the article, though not yet steady.',
  },
};
