"""A small CNN on the bundled 8x8 digits with scratchml.nn: conv 8 -> ReLU -> pool -> linear.

Trains 5 epochs with Adam and a cosine learning-rate schedule, prints the held-out
accuracy and saves the loss curve to cnn_digits_loss.png.
Run:  python examples/cnn_digits.py   (SCRATCHML_EXAMPLE_EPOCHS=1 for a quick check)
"""

import os

import matplotlib

matplotlib.use(os.environ.get("MPLBACKEND", "Agg"))
import matplotlib.pyplot as plt
import numpy as np

import scratchml.nn as nn
from scratchml.datasets import load_digits

EPOCHS = int(os.environ.get("SCRATCHML_EXAMPLE_EPOCHS", 5))
BATCH = 16
rng = np.random.default_rng(0)

# Standardize the pixels and keep 25% of the images for testing.
X, y = load_digits(return_X_y=True)
X = ((X - X.mean()) / X.std()).astype(np.float32).reshape(-1, 1, 8, 8)
order = rng.permutation(len(X))
test, train = order[:450], order[450:]

model = nn.Sequential(
    nn.Conv2d(1, 8, kernel_size=3, padding=1, generator=rng),  # 8 feature maps of 8x8
    nn.ReLU(),
    nn.MaxPool2d(2),                                            # -> 8 x 4 x 4
    nn.Flatten(),
    nn.Linear(8 * 4 * 4, 10, generator=rng),
)
optimizer = nn.Adam(model.parameters(), lr=0.01)
steps = EPOCHS * -(-len(train) // BATCH)
schedule = nn.CosineAnnealingLR(optimizer, T_max=steps)

losses = []
for epoch in range(EPOCHS):
    total = 0.0
    for xb, yb in nn.minibatches(X[train], y[train], batch_size=BATCH, generator=rng):
        loss = nn.cross_entropy(model(nn.Tensor(xb)), yb, label_smoothing=0.1)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        total += loss.item() * len(yb)
    losses.append(total / len(train))
    print(f"epoch {epoch + 1}: training loss {losses[-1]:.4f}")

model.eval()
with nn.no_grad():
    accuracy = float(np.mean(model(nn.Tensor(X[test])).data.argmax(axis=1) == y[test]))
print(f"held-out accuracy: {accuracy:.4f}")

plt.plot(range(1, EPOCHS + 1), losses, marker="o")
plt.xlabel("epoch")
plt.ylabel("cross-entropy")
plt.title(f"CNN on digits: held-out accuracy {accuracy:.1%}")
plt.savefig("cnn_digits_loss.png", dpi=80)
