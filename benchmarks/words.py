"""The words the benchmark's synthetic dumps are made of (a fixed, made-up corpus)."""

from __future__ import annotations

# Function words first: the rank of a word sets its Zipf weight in the background stream.
FUNCTION_TEXT = """
the of and to a in for is we that on with this by as are our from an be can which these it
at or such while both however their has have more than not also into its each only across
without through between over under when where how all other most well two three first new
them they then there thus but based using used via show shows propose proposed present
introduce achieve achieves significantly further even much many any some very often
"""
#: Words every kind of paper uses (after the function words in the background ranking).
GENERAL_TEXT = """
model models method approach results performance training learning data tasks framework
evaluation state-of-the-art existing prior experiments demonstrate outperforms baseline
baselines novel simple effective strong improves improvement gains substantial consistent
competitive capabilities ability complex diverse domain domains specific general analysis
empirical extensive study problem problems challenge challenges limitations design pipeline
stage module mechanism components quality accuracy robust robustness generalization scaling
compute efficient open-source real-world trained pretrained fine-tuning large representation
features structure optimization objective loss metrics scores human feedback iterative
"""
#: Topics: a paper draws a share of its words from one or two of these (popular topics first).
TOPICS_TEXT = """
llm: language large language models llm llms tokens prompt prompting instruction instructions
  fine-tuning pretraining alignment context in-context learning long context generation text
  zero-shot few-shot tuning distillation teacher student
reasoning: reasoning chain-of-thought math mathematical theorem proof proofs verifier
  verification test-time compute steps problems solving logic search tree self-consistency
diffusion: diffusion diffusion models image images denoising sampling noise latent
  text-to-image generation editing style pixel resolution high-resolution fidelity guidance
multimodal: multimodal visual vision vision-language vision-language models image question
  answering grounding understanding captioning perception encoder
rl: reinforcement reinforcement learning policy reward reward model rollout rollouts
  preference feedback exploration optimization advantage on-policy off-policy
agents: agent agents tool tools web browser gui planning environment environments
  trajectories api apis interactive memory task completion
video: video videos temporal motion frames text-to-video image-to-video consistency long
  camera dynamics world model
efficiency: efficient efficiency quantization sparse sparsity kernel kernels gpu gpus memory
  latency throughput cache caching speculative decoding serving inference mixture of experts
  experts routing hardware pruning
3d: 3d scene scenes rendering gaussian splatting depth geometry mesh views novel-view
  reconstruction point cloud spatial
safety: safety harmful jailbreak attack attacks adversarial defense watermark privacy
  hallucination hallucinations factuality truthful calibration uncertainty refusal
architecture: transformer transformers attention state-space mamba recurrent linear
  positional rotary extrapolation layers layer heads architecture normalization
robotics: robot robotic robots manipulation navigation control embodied actions action
  simulation physical dexterous locomotion sim-to-real
code: code program programs software repository repositories bug bugs compiler execution
  unit tests programming developers
retrieval: retrieval retrieval-augmented generation search documents knowledge graph graphs
  embedding embeddings ranking recommendation queries retriever
interpretability: interpretability mechanistic features circuits probing steering
  activations activation neurons heads sparse autoencoders
audio: audio speech music sound voice spoken acoustic text-to-speech speaker
science: medical clinical scientific biology protein molecular chemistry patients health
multilingual: multilingual translation low-resource languages english chinese cross-lingual
data: dataset datasets synthetic curation filtering annotation benchmark benchmarks quality
  evaluation leaderboard contamination
"""
FUNCTION_WORDS = FUNCTION_TEXT.split()
GENERAL_WORDS = GENERAL_TEXT.split()
#: Multi-word units drawn as one word, so quoted-phrase queries find real adjacent words.
PHRASES = (
    "large language models",
    "language models",
    "reinforcement learning",
    "chain-of-thought",
    "test-time compute",
    "diffusion models",
    "vision-language models",
    "in-context learning",
    "long context",
    "mixture of experts",
    "retrieval-augmented generation",
    "reward model",
    "world model",
    "point cloud",
    "sparse autoencoders",
    "unit tests",
)
