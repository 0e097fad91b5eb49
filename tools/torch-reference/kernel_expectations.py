"""Prints the torch results that tests/FuseChat.Engine.Tests/HeadAndSamplingKernelTests.cs expects, so they can be
re-checked against PyTorch: relu of -0.0, softmax of a row with logits past exp's float range, the stable descending
sort with NaN and ties, and argmax with ties and NaN.

Run with Debian's interpreter (python3-torch):  /usr/bin/python3 tools/torch-reference/kernel_expectations.py
"""
import math

import torch

nan, inf = float("nan"), float("inf")
relu = torch.relu(torch.tensor([-2.0, -0.0, 0.0, 3.0, nan]))
print("relu", relu.tolist(), "relu(-0.0) negative:", math.copysign(1.0, relu[1].item()) < 0)
print("softmax", [float(v) for v in torch.softmax(torch.tensor([1000.0, 999.0, 0.0]), dim=-1).tolist()])
scores = torch.tensor([1.0, 3.0, 3.0, nan, -inf, 3.0, 2.0])
print("sort order", torch.sort(scores, descending=True, stable=True).indices.tolist())
print("argmax", torch.argmax(torch.tensor([1.0, 5.0, 5.0, 2.0])).item(), torch.argmax(torch.tensor([1.0, nan, 5.0, nan])).item())
