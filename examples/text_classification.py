"""Classify short texts by topic: tf-idf features, naive Bayes, cross-validated.

A tiny corpus written for this example (60 sentences, 3 topics) goes through
``TfidfVectorizer`` (with English stop words removed and Porter stemming), then
``MultinomialNB`` and ``LogisticRegression``, each scored by 5-fold stratified
cross-validation. The vectorizer is fitted inside every fold, on the training
part only, so no word of a test sentence leaks into the vocabulary. Finally the
most telling stems of each topic are printed.

The models take dense arrays for now, so the sparse tf-idf matrix is turned
into one with ``.toarray()`` (fine at this size).
"""

import numpy as np

from scratchml.feature_extraction.text import CountVectorizer, PorterStemmer, TfidfVectorizer
from scratchml.linear_model import LogisticRegression
from scratchml.model_selection import StratifiedKFold
from scratchml.naive_bayes import MultinomialNB

TOPICS = {
    "sports": [
        "The striker scored twice in the second half of the match.",
        "Our team won the championship after a thrilling final.",
        "The goalkeeper saved a penalty in the last minute.",
        "She ran the marathon in under three hours.",
        "The coach praised the players for their defending.",
        "Fans cheered as the home team took the lead.",
        "The tennis final went to five long sets.",
        "He was injured during training and will miss the game.",
        "The referee showed a red card to the defender.",
        "Our club signed a new midfielder this season.",
        "The runners sprinted towards the finish line.",
        "They lost the match on penalties after extra time.",
        "The league table changed after the weekend games.",
        "The cyclist won the mountain stage of the race.",
        "Basketball players need speed, height and practice.",
        "The captain lifted the trophy in front of the fans.",
        "A late goal sealed the victory for the visitors.",
        "The swimmer broke the world record in the final.",
        "The season ends with a derby against our rivals.",
        "Training camp starts next week for the whole squad.",
    ],
    "cooking": [
        "Chop the onions and fry them gently in butter.",
        "Bake the bread for forty minutes until golden.",
        "Season the soup with salt, pepper and fresh herbs.",
        "Whisk the eggs with sugar before adding the flour.",
        "Simmer the tomato sauce for an hour on low heat.",
        "Roast the chicken with garlic, lemon and rosemary.",
        "Knead the dough and let it rise in a warm place.",
        "Stir the risotto often and add stock slowly.",
        "Grill the vegetables and drizzle them with olive oil.",
        "The recipe needs two cups of flour and a pinch of salt.",
        "Melt the chocolate over a pan of simmering water.",
        "Slice the potatoes thinly and bake them with cream.",
        "Marinate the beef overnight in soy sauce and ginger.",
        "Serve the pasta with grated cheese and basil.",
        "Boil the rice, then let it rest covered for ten minutes.",
        "Fry the fish in hot oil until the skin is crisp.",
        "Mix the butter and sugar until pale and fluffy.",
        "Add the spices to the curry and cook until fragrant.",
        "Peel the apples and bake them into a pie.",
        "Taste the sauce and add more salt if needed.",
    ],
    "space": [
        "The rocket launched the satellite into orbit.",
        "Astronauts repaired the space station's solar panels.",
        "The telescope captured images of a distant galaxy.",
        "A probe landed on the surface of Mars.",
        "The moon orbits the earth every twenty seven days.",
        "Astronomers discovered a planet around a nearby star.",
        "The spacecraft used gravity to swing around Jupiter.",
        "Solar flares can disturb satellites and radio signals.",
        "The crew docked with the orbiting laboratory.",
        "A comet passed close to the sun last spring.",
        "The rover drilled into rocks looking for water.",
        "Black holes bend light with their enormous gravity.",
        "The launch was delayed because of strong winds.",
        "Astronauts trained for months before the mission.",
        "The galaxy contains billions of stars and planets.",
        "The observatory tracked an asteroid near the earth.",
        "Engineers tested the rocket engines on the ground.",
        "The satellite sends weather images back to earth.",
        "A lunar lander will carry astronauts to the moon.",
        "The mission will study the rings of Saturn.",
    ],
}

docs = [s for sentences in TOPICS.values() for s in sentences]
labels = np.repeat(np.arange(len(TOPICS)), [len(s) for s in TOPICS.values()])
names = list(TOPICS)

# Stemming groups "launch", "launched" and "launches" into one feature "launch".
stemmer = PorterStemmer()
words = CountVectorizer(stop_words="english").build_analyzer()


def stemmed_words(doc):
    return [stemmer.stem(w) for w in words(doc)]


def make_vectorizer():
    return TfidfVectorizer(analyzer=stemmed_words, sublinear_tf=True)


models = {
    "MultinomialNB": lambda: MultinomialNB(alpha=0.1),
    "LogisticRegression": lambda: LogisticRegression(C=10.0, max_iter=500),
}
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
docs_array = np.array(docs, dtype=object)
for name, make_model in models.items():
    scores = []
    for train, test in cv.split(np.zeros((len(docs), 1)), labels):
        vec = make_vectorizer()
        X_train = vec.fit_transform(docs_array[train]).toarray()
        X_test = vec.transform(docs_array[test]).toarray()
        model = make_model().fit(X_train, labels[train])
        scores.append(np.mean(model.predict(X_test) == labels[test]))
    print(f"{name:>18}: 5-fold accuracy {np.mean(scores):.2f} +/- {np.std(scores):.2f}")

# Fit on everything and show, per topic, the stems naive Bayes finds most telling:
# the largest log P(stem | topic) - mean over topics of log P(stem | topic').
vec = make_vectorizer()
X = vec.fit_transform(docs).toarray()
nb = MultinomialNB(alpha=0.1).fit(X, labels)
terms = vec.get_feature_names_out()
log_prob = nb.feature_log_prob_
contrast = log_prob - log_prob.mean(axis=0)
print(f"vocabulary: {len(terms)} stems from {len(docs)} sentences")
for k, topic in enumerate(names):
    top = terms[np.argsort(-contrast[k])[:6]]
    print(f"top features for {topic}: {', '.join(top)}")
print("prediction for 'the astronauts launched a new telescope':",
      names[int(nb.predict(vec.transform(["the astronauts launched a new telescope"])
                           .toarray())[0])])
