#!/usr/bin/env python3
"""N registrations as JSON Lines, for measuring bulk `submit`: valid documents in the
tutorial's shape, children aged 2 to 5, varied names and days, seeded so every run
makes the same file.

    python3 benches/registrations_jsonl.py 10000 > 10k.jsonl
"""

import json
import random
import sys

FIRST = ["Ada", "Léa", "Zoë", "Mohamed", "Awa", "Binta", "Noah", "Mia", "Omar", "Ines",
         "Yuki", "Sven", "Aria", "Kofi", "Lina", "Ravi", "Elif", "Nour", "Tariq", "Maya"]
LAST = ["Diallo", "Okafor", "Smith", "García", "Nguyen", "Kowalski", "Haddad", "Müller",
        "Rossi", "Silva", "Kim", "Cohen", "Ivanova", "Mensah", "Sato"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def main(count):
    random.seed(7)
    for i in range(count):
        born = f"{random.choice([2021, 2022, 2023, 2024])}-{random.randint(1, 12):02}-{random.randint(1, 28):02}"
        document = {"registration_info": {
            "child": {"firstName": random.choice(FIRST) + str(i), "lastName": random.choice(LAST),
                      "dateOfBirth": born},
            "parents": {
                "mother": {"firstName": "Aicha", "lastName": random.choice(LAST),
                           "email": f"p{i}@example.org", "phone": "123-456-7890"},
                "father": {"firstName": "Ibrahim", "lastName": random.choice(LAST),
                           "email": f"q{i}@example.org", "phone": "098-765-4321"},
            },
            "daysOfWeek": random.sample(DAYS, random.randint(1, 5)),
            "specialInstructions": "Naps after lunch.",
        }}
        print(json.dumps(document, ensure_ascii=False))


if __name__ == "__main__":
    main(int(sys.argv[1]))
