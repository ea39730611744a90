"""Every tooltip and help sentence of the window, in one place and in the lecture's words.

The lecture calls the LSTM's gates *forget*, *ignore* (input), *select* (output) and
the candidate values *possibilities*; it calls sigmoid and tanh *squashing* functions
and the softmax output the *prediction vector*.  The window uses the same words, with
the textbook name beside them, so what a learner hears and what they see agree.
"""

from __future__ import annotations

# -- which settings apply live and which rebuild the model ---------------------------
RESET_QUESTION = "This resets the trained model. Continue?"
RESET_DETAIL = (
    "Changing the data, the tokeniser, how the text is read, or the shape of the network "
    "(model, hidden size, optimiser, batch size, window, clipping, seed, validation "
    "split, number type) starts again "
    "from fresh weights, and the loss curve starts over.\n\n"
    "The learning rate, the stop condition and the plot refresh rate change live, without "
    "losing what the network has learned."
)
LIVE = "Applies live: the network keeps what it has learned."
RESETS = "Changing this starts the model again from fresh weights (you are asked first)."

# -- sequences editor ----------------------------------------------------------------
EDITOR = (
    "Your training data: one sequence per line, at least two symbols each.\n"
    "At every step the network reads one symbol and votes on which symbol comes next, "
    "so it learns the patterns of what follows what.\n" + RESETS
)
EDITOR_PLACEHOLDER = (
    "Type one sequence per line, for example:\n"
    "pizza sushi waffles pizza sushi waffles\n"
    "Doug saw Jane. Jane saw Spot. Spot saw Doug."
)
TOKENIZER = (
    "How a line is cut into symbols.\n"
    "Words: split at spaces; . , ! ? ; : are symbols of their own.\n"
    "Characters: every character (spaces inside the line too) is a symbol.\n"
    "Separator: split wherever the separator you type appears.\n" + RESETS
)
SEPARATOR = "The text that separates symbols on a line, for example a comma."
SEQUENCES_MODE_CHOICES = (
    ("lines", "one sequence per line"),
    ("stream", "one stream (\u23ce is a symbol)"),
)
SEQUENCES_MODE = (
    "How the text becomes sequences.\n"
    "One sequence per line: every line is a sequence of its own (at least two symbols), "
    "and the network's memory starts fresh at each line.\n"
    "One stream: the whole text is one long sequence, each line break a symbol (shown "
    "as \u23ce), so a poem, a play or a program is read as it is written. It is cut "
    "into one stream per batch row and trained in windows, the memory carried from one "
    "window to the next (as char-rnn does).\n" + RESETS
)
WINDOW = (
    "Steps per update: the network reads this many symbols, then its weights are "
    "updated and it reads on, its memory (state) carried over (truncated "
    "back-propagation through time). In a stream it is how long a piece each update "
    "learns from; for lines, 0 learns from whole lines at once.\n" + RESETS
)
TOKEN_PREVIEW = (
    "How the network sees your first lines: each box is one symbol. The network reads "
    "them left to right and, at every step, predicts the next box."
)
VOCABULARY = (
    "Every different symbol in your text. The network's input is a list of numbers with "
    "one slot per symbol (a 1 for the symbol it reads), and its prediction vector has one "
    "vote per symbol."
)
PROBLEMS = (
    "Problems with the text. Red ones stop training (fix them first); amber ones are "
    "only warnings, such as a word that appears once and may be a typo."
)
DESCRIPTION = "What this example is about and what the network can learn from it."

# -- model & training panel ---------------------------------------------------------
MODEL_KINDS = {
    "lstm": (
        "LSTM (long short-term memory)",
        "Keeps a memory line and learns three gates: forget (what to drop from memory), "
        "ignore (which new possibilities to let in) and select (what to release as a "
        "prediction). It can look back many steps.",
    ),
    "rnn": (
        "Plain RNN",
        "Feeds its last prediction back in, squashed by tanh, and nothing else. Its memory "
        "is short: it makes mistakes like \u201cDoug saw Doug.\u201d",
    ),
    "gru": (
        "GRU (gated recurrent unit)",
        "A lighter gated network: an update gate blends old memory with new possibilities "
        "and a reset gate decides how much of the past shapes those possibilities.",
    ),
}
MODEL = (
    "Which recurrent network to train. The LSTM adds memory and gates to the plain RNN "
    "so it can use what happened many steps ago.\n" + RESETS
)
HIDDEN_SIZE = (
    "How many numbers the network uses to remember (the length of its memory and "
    "prediction vectors, one row per unit in the gate plots). More units can learn more "
    "patterns but take longer to train.\n" + RESETS
)
LEARNING_RATE = (
    "How big a step each update takes down the loss slope. Too small: the loss falls "
    "slowly. Too big (try 10 on a fresh model): the loss shoots up instead of down and "
    "jumps around. From 0.00001 to 10; the slider moves on a logarithmic scale, type an "
    "exact value in the box.\n" + LIVE
)
OPTIMIZER = (
    "The rule that turns gradients into weight changes. Adam adapts the step for every "
    "weight and is the safest choice; SGD is the plain textbook rule (with momentum); "
    "RMSProp and Adagrad also adapt their steps.\n" + RESETS
)
OPTIMIZER_NAMES = {
    "adam": "Adam",
    "sgd": "SGD + momentum",
    "rmsprop": "RMSProp",
    "adagrad": "Adagrad",
}
BATCH_SIZE = (
    "How many sequences are looked at before each update of the weights. Small batches "
    "update often but noisily; large batches update rarely but smoothly.\n" + RESETS
)
BATCH_SIZE_STREAM = (
    "How many streams are read side by side: the text is cut into this many long "
    "pieces, each read on from where it stopped, and one update of the weights follows "
    "each window of all of them. More streams update more smoothly but each one is "
    "shorter.\n" + RESETS
)
CLIPPING = (
    "Gradient clipping: if the gradients are longer than this, they are scaled down "
    "before the update, which stops one bad step from blowing the weights up. "
    "0 turns clipping off.\n" + RESETS
)
SEED = (
    "The random seed behind the starting weights, the validation split and the shuffling. "
    "The same seed always gives exactly the same starting weights, so Reset and a rerun "
    "repeat an experiment exactly.\n" + RESETS
)
VALIDATION_SPLIT = (
    "The share of lines held back from training and only used to check the network on "
    "sequences it never learned from (the dashed validation curves). 0 trains on "
    "everything.\n" + RESETS
)
DTYPE = (
    "The kind of numbers the weights are stored in: float64 (precise, the default) or "
    "float32 (half the memory, a little faster, a little less precise).\n" + RESETS
)
BIAS_INIT = (
    "How the network's biases start (the weights always start small and random).\n"
    "Remember by default: an LSTM's forget gate starts open (its bias +1), so the memory\n"
    "line keeps what it holds until the network learns when to forget.\n"
    "• zero + forget gate open: every bias 0 but the forget gate's (how projects\n"
    "   started before this choice existed).\n"
    "• random (PyTorch's default): small random biases, as torch.nn.LSTM starts;\n"
    "   the forget gate starts only half open.\n"
    "• random + forget gate open (the default): PyTorch's random biases, and the forget\n"
    "   gate still starts open; it learned the long-memory examples fastest.\n"
    "A GRU or RNN has no forget gate: for them both random choices are the same.\n" + RESETS
)
BIAS_INIT_NAMES = {
    "zero": "zero + forget gate open",
    "torch": "random (PyTorch's default)",
    "torch+forget": "random + forget gate open",
}
STOP_CONDITION = (
    "When training pauses by itself: after this many more epochs (counted from Train), "
    "when the loss falls below a target, or when the accuracy reaches a target. "
    "The progress bar in the status bar shows how close it is. " + LIVE
)
STOP_KINDS = {
    "none": "Never (I pause)",
    "epochs": "After",
    "loss": "Loss below",
    "accuracy": "Accuracy reaches",
}
SETTINGS_ERROR = "The engine refused this setting; the previous value is kept."

# -- toolbar and status bar ---------------------------------------------------------
TRAIN = (
    "Start or pause training (Space). One epoch is one pass over every training line; "
    "after each update the loss should fall as the network's votes get better."
)
STEP = "Train exactly one more epoch, then pause, to watch learning one step at a time."
RESET = (
    "Back to the starting weights. The same seed gives exactly the same starting "
    "weights, so training again repeats the experiment."
)
REFRESH_RATE = (
    "How often per second the plots are redrawn while training, at most: a slow drawing "
    "(a big network, a busy tab) is redrawn less often, so the window stays responsive. "
    "Training runs in a process of its own, so with two or more processor cores redrawing "
    "costs it almost nothing. Lower it if the window feels sluggish. " + LIVE
)
LOG_SCALE = "Show the loss on a logarithmic scale, so the late, small improvements stay visible."
PROGRESS = "Progress towards the stop condition."
EPOCH = "Completed epochs: passes over every training line."
SPEED = "Training speed in epochs per second."
ETA = "Estimated time until the stop condition is met."
SEQUENCE_SELECTOR = (
    "Which line the gate and prediction plots follow, step by step. Sequences held back "
    "for validation are marked."
)

# -- plots (the plot widgets carry their own tooltips; this one is for the status bar) --
LOSS_PLOT = (
    "Loss: how surprised the network is by the true next symbol (cross-entropy, lower is "
    "better). It falls because every update nudges the weights so the prediction vector "
    "puts more of its vote on the symbol that really came next.\n"
    "Accuracy: how often the symbol with the most votes is the right one. "
    "Solid lines are training, dashed lines validation."
)

# -- messages ---------------------------------------------------------------------
FIX_PROBLEMS = "Fix the problems in the sequences first (see the list under the editor)."
NOTHING_TO_SAVE = "The sequences have problems, so the project cannot be saved yet:\n\n{problem}"
UNSAVED_QUESTION = "Do you want to save the changes to {name}?"
UNSAVED_DETAIL = "Your sequences, settings and the trained model will be lost if you don't save."
DIVERGED_TITLE = "Training stopped"
UNUSABLE_WEIGHTS = (
    "<b>Nothing to show.</b> The model's weights hold NaN or infinite values (or are too "
    "large to compute with), so no prediction or gate can be computed from them. "
    "<b>Reset</b> starts again from new initial weights."
)
NO_TRAINING_PROCESS = (
    "<b>Training could not start in a process of its own</b> ({reason}). It can run inside "
    "the window instead: the same training, only slower, because drawing and training then "
    "take turns."
)
TRAIN_IN_WINDOW = "Train inside the window (slower)"
TRAINING_IN_WINDOW = "Training runs inside the window now: the same results, only slower."
PENDING_EDITS = (
    "<b>Your edits change the sequences.</b> The trained model is kept (and trains on "
    "the previous text) until you apply them."
)
PENDING_FIX = "Fix the problems in the new text before applying it."
PENDING_APPLY = "Apply and reset the model"
PENDING_APPLY_TIP = (
    "Train on the edited text from fresh weights.\n"
    "Edit \u25b8 Undo reset brings back the previous text and trained model."
)
PENDING_DISCARD = "Undo edits"
PENDING_DISCARD_TIP = "Put back the text the model was trained on and keep the model."
PENDING_STATUS = "The edited text has {counts}: apply it to train on it."
UNDO_RESET = "&Undo reset (bring back the trained model)"
REDO_RESET = "&Redo reset"
RESET_BUTTON = "Reset the model"
KEEP_BUTTON = "Keep the model"
SAVE_BUTTON = "Save"
DISCARD_BUTTON = "Don't save"
CANCEL_BUTTON = "Cancel"
